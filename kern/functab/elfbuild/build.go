package elfbuild

import (
	"gojos/kern/functab"

	"debug/elf"
	"fmt"
	"path"
	"sort"
	"strings"
)

// Build reads the function table of a linux/386 Go executable with DWARF and
// a symbol table: the kernel ELF.
func Build(f *elf.File) (*functab.Table, error) {
	if f.Class != elf.ELFCLASS32 || f.Machine != elf.EM_386 {
		return nil, fmt.Errorf("not an i386 ELF32 file (%v, %v)", f.Class, f.Machine)
	}
	t := &functab.Table{}
	var err error
	if t.BuildID, err = BuildID(f); err != nil {
		return nil, err
	}
	if t.ImageHash, err = ImageHash(f); err != nil {
		return nil, err
	}
	syms, err := f.Symbols()
	if err != nil {
		return nil, fmt.Errorf("symbols: %v", err)
	}
	if t.Funcs, err = textFuncs(f, syms); err != nil {
		return nil, err
	}
	pcln, err := pclnFuncs(f, syms)
	if err != nil {
		return nil, err
	}
	d, err := f.DWARF()
	if err != nil {
		return nil, fmt.Errorf("DWARF: %v", err)
	}
	df, err := walkDWARF(d)
	if err != nil {
		return nil, err
	}
	tr := newTypeReader(d, regSize)
	byEntry := make(map[uint32]int, len(t.Funcs))
	for i := range t.Funcs {
		byEntry[t.Funcs[i].Entry] = i
	}
	// DWARF names (which may differ from .symtab's: · for .) of the
	// functions with a copy in the text, for the inlining sites.
	byDWARFName := map[string]int{}
	described := map[int]string{}
	for _, c := range df.concrete {
		sp, err := df.resolve(c)
		if err != nil {
			return nil, err
		}
		i, ok := byEntry[sp.entry]
		if !ok {
			continue // not a sized function symbol
		}
		if _, dup := described[i]; dup {
			return nil, fmt.Errorf("DWARF: %s and %s both start at %#x", described[i], sp.name, sp.entry)
		}
		described[i] = sp.name
		byDWARFName[sp.name] = i
		if err := describe(&t.Funcs[i], sp, tr); err != nil {
			return nil, err
		}
	}
	text, err := sectionBytes(f, ".text")
	if err != nil {
		return nil, err
	}
	textAddr := uint32(f.Section(".text").Addr)
	for i := range t.Funcs {
		fn := &t.Funcs[i]
		if p, ok := pcln[fn.Entry]; ok {
			fn.Flags |= functab.FlagPCArgs
			fn.PCArgs = p.args
			if p.flag&funcFlagAsm != 0 {
				fn.Flags = fn.Flags&^functab.FlagSig | functab.FlagAsm
				fn.Params, fn.Results = nil, nil
			}
			if fn.Flags&functab.FlagSig != 0 && functab.Layout(fn.Params, fn.Results) != uint64(int64(p.args)) {
				fn.Flags = fn.Flags&^functab.FlagSig | functab.FlagBadDWARF
				fn.Params, fn.Results = nil, nil
			}
		}
		if isClosure(fn.Name) {
			fn.Flags |= functab.FlagClosure
		}
		if off := fn.Entry - textAddr; off < uint32(len(text)) {
			end := min(uint64(off)+uint64(fn.Size), uint64(len(text)))
			if !hasStackCheck(text[off:end], fn.Entry, fn.Size) {
				fn.Flags |= functab.FlagNoSplit
			}
		}
	}
	// A function may have more than one abstract subprogram (one per
	// package inlining it, if the linker did not merge them): sum by caller.
	sites := map[int]map[int]int{}
	for origin, callers := range df.sites {
		a, ok := df.abstract[origin]
		if !ok {
			return nil, fmt.Errorf("DWARF: inlined calls of %#x, which is not an abstract subprogram", origin)
		}
		i, ok := byDWARFName[a.name]
		if !ok {
			continue // inlined everywhere: no copy in the text
		}
		if sites[i] == nil {
			sites[i] = map[int]int{}
		}
		for entry, n := range callers {
			c, ok := byEntry[entry]
			if !ok {
				return nil, fmt.Errorf("DWARF: %s inlined into a function at %#x that .symtab lacks", a.name, entry)
			}
			sites[i][c] += n
		}
	}
	for _, a := range df.abstract {
		if i, ok := byDWARFName[a.name]; ok {
			t.Funcs[i].Flags |= functab.FlagInlined
		}
	}
	for i, callers := range sites {
		s := make([]functab.Site, 0, len(callers))
		for c, n := range callers {
			s = append(s, functab.Site{Caller: c, Count: n})
		}
		sort.Slice(s, func(a, b int) bool { return s[a].Caller < s[b].Caller })
		t.Funcs[i].Inlined = s
		t.Funcs[i].Flags |= functab.FlagInlined
	}
	t.Finish()
	return t, nil
}

// textFuncs lists the sized STT_FUNC symbols in executable sections, sorted
// by entry; overlapping functions are an error.
func textFuncs(f *elf.File, syms []elf.Symbol) ([]functab.Func, error) {
	var fs []functab.Func
	for _, s := range syms {
		if elf.ST_TYPE(s.Info) != elf.STT_FUNC || s.Size == 0 || s.Section == elf.SHN_UNDEF ||
			int(s.Section) >= len(f.Sections) || f.Sections[s.Section].Flags&elf.SHF_EXECINSTR == 0 {
			continue
		}
		if s.Value+s.Size > 1<<32 {
			return nil, fmt.Errorf("%s: %#x+%#x is beyond 32 bits", s.Name, s.Value, s.Size)
		}
		fs = append(fs, functab.Func{Name: s.Name, Entry: uint32(s.Value), Size: uint32(s.Size)})
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].Entry < fs[j].Entry })
	for i := 1; i < len(fs); i++ {
		if p := fs[i-1]; uint64(p.Entry)+uint64(p.Size) > uint64(fs[i].Entry) {
			return nil, fmt.Errorf("functions %s and %s overlap", p.Name, fs[i].Name)
		}
	}
	if len(fs) == 0 {
		return nil, fmt.Errorf("no functions in .symtab")
	}
	return fs, nil
}

// pclnFuncs reads the .gopclntab; entry offsets count from runtime.text.
func pclnFuncs(f *elf.File, syms []elf.Symbol) (map[uint32]pcFunc, error) {
	data, err := sectionBytes(f, ".gopclntab")
	if err != nil {
		return nil, err
	}
	text := uint32(f.Section(".text").Addr)
	for _, s := range syms {
		if s.Name == "runtime.text" {
			text = uint32(s.Value)
		}
	}
	return readPCLN(data, text, f.ByteOrder)
}

func sectionBytes(f *elf.File, name string) ([]byte, error) {
	s := f.Section(name)
	if s == nil || s.Type != elf.SHT_PROGBITS {
		return nil, fmt.Errorf("no %s section", name)
	}
	b, err := s.Data()
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return b, nil
}

// describe fills in what DWARF says about fn.
func describe(fn *functab.Func, sp *subprogram, tr *typeReader) error {
	if sp.wrapper {
		fn.Flags |= functab.FlagWrapper
	}
	fn.File = path.Base(sp.declFile)
	if sp.declFile == "" {
		fn.File = ""
	}
	if isAssemblyFile(sp.declFile) {
		fn.Flags |= functab.FlagAsm
		return nil
	}
	if isShape(sp.name) && !isClosure(sp.name) && !strings.HasPrefix(sp.name, "type:") {
		fn.Flags |= functab.FlagGeneric
		fn.Params = append(fn.Params, functab.Param{Name: ".dict",
			Type: functab.Type{Name: "uintptr", Class: functab.ClassUint, Size: regSize, Align: regSize}})
	}
	for _, p := range sp.params {
		ty, err := tr.get(p.typ)
		if err != nil {
			return fmt.Errorf("%s: parameter %s: %v", fn.Name, p.name, err)
		}
		q := functab.Param{Type: ty}
		if !strings.HasPrefix(p.name, "~") {
			q.Name = p.name
		}
		if p.result {
			fn.Results = append(fn.Results, q)
		} else {
			fn.Params = append(fn.Params, q)
		}
	}
	fn.Flags |= functab.FlagSig
	return nil
}

// isShape reports whether a function name has shape type arguments
// (go.shape.*): a shape instantiation of a generic function or method takes
// a dictionary as its first argument, unless it is a closure or a type's
// generated equality function.
func isShape(name string) bool {
	i := strings.IndexByte(name, '[')
	return i >= 0 && strings.Contains(name[i:], "go.shape.")
}

// isClosure reports whether a function name is a function literal
// (pkg.F.func1, nested pkg.F.func1.2), a go or defer statement's wrapper
// (gowrapN, deferwrapN), a range-over-func loop body (pkg.F-range1) or a
// method value (-fm): all expect a closure context.
func isClosure(name string) bool {
	if strings.HasSuffix(name, "-fm") {
		return true
	}
	if i := strings.IndexByte(name, '['); i >= 0 {
		name = name[:i] + name[strings.LastIndexByte(name, ']')+1:]
	}
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	parts := strings.Split(name, ".")
	for _, p := range parts[1:] {
		if _, n, ok := strings.Cut(p, "-range"); ok && n != "" && strings.Trim(n, "0123456789") == "" {
			return true
		}
		for _, pre := range []string{"func", "gowrap", "deferwrap", ""} {
			if n, ok := strings.CutPrefix(p, pre); ok && n != "" && strings.Trim(n, "0123456789") == "" {
				return true
			}
		}
	}
	return false
}
