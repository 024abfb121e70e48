package livepatch

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"gojos/kern/functab"
	"gojos/kern/kabi/cproto"
	"gojos/kern/kpatch/rules"
)

// Resolve finds the kernel function name stands for: its full name
// (gojos/kern/proc.utsRelease), or a unique tail of it after a '/' or '.'
// (utsRelease, proc.utsRelease, kdemo.Nap).
func Resolve(t *functab.Table, name string) (*functab.Func, error) {
	f, err := t.ByName(name)
	if !errors.Is(err, functab.ErrNotFound) {
		return f, err // found, or damaged
	}
	var found []int
	for i := 0; i < t.Len(); i++ {
		n := t.Name(i)
		if strings.HasSuffix(n, "."+name) || strings.HasSuffix(n, "/"+name) {
			found = append(found, i)
		}
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("unknown target %s: no kernel function of that name", name)
	case 1:
		return t.Func(found[0])
	}
	var names []string
	for _, i := range found {
		names = append(names, t.Name(i))
	}
	sort.Strings(names)
	if len(names) > 5 {
		names = append(names[:5], fmt.Sprintf("and %d more", len(names)-5))
	}
	return nil, fmt.Errorf("ambiguous target %s: %s; write the full name", name, strings.Join(names, ", "))
}

// Checked is an entry that passed Check.
type Checked struct {
	Func   *functab.Func  // the target
	Proto  *cproto.Proto  // the replacement's declared prototype
	Bridge *cproto.Bridge // how the Go→C bridge moves arguments and result
}

// Check validates e against the function table t. code holds the bytes at
// the target's entry in the unpatched kernel (plan.MaxCode of them, or up
// to its end): from the kernel ELF at build time, from memory (with the
// original bytes of a patched entry) at load time. proto is the
// replacement's declared C prototype ("" when it declares none). The error
// names the target and the reason.
func Check(t *functab.Table, e Entry, code func(*functab.Func) []byte, proto string) (*Checked, error) {
	f, err := t.ByName(e.Target)
	if errors.Is(err, functab.ErrNotFound) {
		return nil, fmt.Errorf("unknown target %s: no kernel function of that name", e.Target)
	}
	if err != nil {
		return nil, err
	}
	if r := rules.Target(t, f, code(f), e.Flags&FlagForce != 0); r != nil {
		if r.Rule == rules.Inlined {
			return nil, fmt.Errorf("target %s is inlined: %v (force = [...] in the rule patches it anyway)", f.Name, strings.TrimSuffix(r.Msg, " (kpatch -f patches the function anyway)"))
		}
		return nil, fmt.Errorf("target %s is not patchable: %v", f.Name, r)
	}
	if f.Hash() != e.SigHash {
		return nil, fmt.Errorf("signature of %s changed: it is %s (hash %016x), the patch was made for hash %016x", f.Name, f.TypeSignature(), f.Hash(), e.SigHash)
	}
	if proto == "" {
		return nil, fmt.Errorf("replacement %s for %s has no declared prototype: add KPATCH_PROTO(ret, %s, params...) (%s)", e.Repl, f.Name, e.Repl, want(f))
	}
	p, err := cproto.Parse(proto)
	if err != nil {
		return nil, fmt.Errorf("replacement %s for %s: %v", e.Repl, f.Name, err)
	}
	b, err := cproto.Match(f.Params, f.Results, p)
	if err != nil {
		return nil, fmt.Errorf("signature mismatch: %s is %s, replacement %s is declared %s: %v (%s)", f.Name, f.TypeSignature(), e.Repl, p, err, want(f))
	}
	return &Checked{Func: f, Proto: p, Bridge: b}, nil
}

// want suggests the prototype a replacement of f needs.
func want(f *functab.Func) string {
	d, err := cproto.Describe(f.Params, f.Results)
	if err != nil {
		return "no C function can replace it: " + err.Error()
	}
	return "want " + d
}

// OriginalPrefix starts the symbol a module calls the original of a
// function it replaces through: KPATCH_ORIGINAL(repl) in gojos/module.h
// refers to OriginalPrefix+repl, which the kernel resolves to a stub that
// calls the target's original code.
const OriginalPrefix = "__gojos_original_"

// CheckOriginal refuses a target whose original C code may not call: one
// with a parameter or result that is not an integer or a bool. (The
// original runs on the goroutine's stack, which may move meanwhile; a C
// caller holding a pointer into it would be left with a stale one.)
func CheckOriginal(f *functab.Func) error {
	for _, ps := range [][]functab.Param{f.Params, f.Results} {
		for _, p := range ps {
			if p.Type.Class != functab.ClassInt && p.Type.Class != functab.ClassUint && p.Type.Class != functab.ClassBool {
				return fmt.Errorf("KPATCH_ORIGINAL: %s takes or returns %s: calling the original is for integer and bool signatures (the goroutine's stack may move while the original runs, and C would keep a stale pointer)",
					f.Name, p.Type.Name)
			}
		}
	}
	return nil
}

// OriginalCalls maps each replacement an object calls the original of
// (an undefined symbol OriginalPrefix+repl) to that symbol; undefined is
// the object's undefined symbol names.
func OriginalCalls(undefined []string) map[string]string {
	out := map[string]string{}
	for _, s := range undefined {
		if strings.HasPrefix(s, OriginalPrefix) {
			out[strings.TrimPrefix(s, OriginalPrefix)] = s
		}
	}
	return out
}
