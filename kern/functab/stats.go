package functab

import (
	"fmt"
	"strings"
)

// Stats counts a table's functions.
type Stats struct {
	Funcs       int // all
	Kern        int // in gojos/kern and its packages (the kernel's main package included)
	Runtime     int // in package runtime
	Sig         int // FlagSig: signature known
	Asm         int // FlagAsm
	NoSplit     int // FlagNoSplit
	Closures    int // FlagClosure
	Wrappers    int // FlagWrapper
	Generic     int // FlagGeneric
	Inlined     int // FlagInlined: inlined somewhere
	WithCallers int // of those, with callers known (Inlined not empty)
	InlineSites int // inlined call sites in those callers, in all
	BadDWARF    int // FlagBadDWARF: DWARF signature dropped
	// FrameMismatch counts functions with a signature whose ArgsSize differs
	// from the pclntab's args: 0 from Build.
	FrameMismatch int
}

// Stats counts t's functions (decoding every one of a decoded table).
func (t *Table) Stats() (Stats, error) {
	var s Stats
	for i := 0; i < t.Len(); i++ {
		f, err := t.Func(i)
		if err != nil {
			return Stats{}, err
		}
		s.Funcs++
		pkg := Package(f.Name)
		if pkg == "main" || pkg == "gojos/kern" || strings.HasPrefix(pkg, "gojos/kern/") {
			s.Kern++
		}
		if pkg == "runtime" {
			s.Runtime++
		}
		count := func(flag Flags, n *int) {
			if f.Flags&flag != 0 {
				*n++
			}
		}
		count(FlagSig, &s.Sig)
		count(FlagAsm, &s.Asm)
		count(FlagNoSplit, &s.NoSplit)
		count(FlagClosure, &s.Closures)
		count(FlagWrapper, &s.Wrappers)
		count(FlagGeneric, &s.Generic)
		count(FlagBadDWARF, &s.BadDWARF)
		count(FlagInlined, &s.Inlined)
		if len(f.Inlined) > 0 {
			s.WithCallers++
		}
		for _, site := range f.Inlined {
			s.InlineSites += site.Count
		}
		if f.Flags&(FlagSig|FlagPCArgs) == FlagSig|FlagPCArgs && int64(f.ArgsSize) != int64(f.PCArgs) {
			s.FrameMismatch++
		}
	}
	return s, nil
}

func (s Stats) String() string {
	return fmt.Sprintf("functions %d: gojos/kern %d, runtime %d; with signatures %d, assembly %d, nosplit %d, "+
		"closures %d, wrappers %d, generic shapes %d; inlined somewhere %d (callers known for %d, %d call sites); "+
		"DWARF signatures dropped %d; frame sizes differing from the pclntab %d",
		s.Funcs, s.Kern, s.Runtime, s.Sig, s.Asm, s.NoSplit, s.Closures, s.Wrappers, s.Generic,
		s.Inlined, s.WithCallers, s.InlineSites, s.BadDWARF, s.FrameMismatch)
}

// Package is the package path of a Go function name: gojos/kern/ksym for
// gojos/kern/ksym.(*Table).Lookup, slices for slices.Sort[...].
func Package(name string) string {
	prefix := name
	for i := 0; i < len(prefix); i++ { // strings.IndexAny(prefix, "[("), without its set
		if prefix[i] == '[' || prefix[i] == '(' {
			prefix = prefix[:i]
			break
		}
	}
	slash := strings.LastIndexByte(prefix, '/') + 1
	if dot := strings.IndexByte(prefix[slash:], '.'); dot >= 0 {
		return name[:slash+dot]
	}
	return prefix
}
