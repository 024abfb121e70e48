package elfrel

import (
	"fmt"
	"sort"
)

// Symbol rules Layout applies once it knows which sections are loaded.

// symDesc names a symbol for messages.
func (o *Object) symDesc(s *Symbol) string {
	if n := symName(o, s); n != "" {
		return n
	}
	return fmt.Sprintf("#%d", s.Index)
}

// checkRelTargets: a relocation section must apply to a loaded section. One that
// applies to a section not allocated at run time is refused, except for debugging
// sections (".debug*"), whose relocations are ignored as Linux ignores every
// relocation of a section that is not allocated.
func (img *Image) checkRelTargets() error {
	o := img.Obj
	for i := range o.Sections {
		rs := &o.Sections[i]
		if rs.Type != SHT_REL && rs.Type != SHT_RELA {
			continue
		}
		t := &o.Sections[rs.Info]
		switch {
		case img.Place[rs.Info].Placed:
			if rs.Type == SHT_RELA {
				return errorf(ErrUnsupported, "relocation section %s: RELA relocations are not used on i386", rs.Name)
			}
		case !t.Alloc() && len(t.Name) >= 6 && t.Name[:6] == ".debug":
		case !t.Alloc():
			return errorf(ErrReloc, "relocation section %s applies to %s, which is not allocated (no SHF_ALLOC)",
				rs.Name, o.describe(int(rs.Info)))
		default:
			return errorf(ErrReloc, "relocation section %s applies to %s, which is not loaded",
				rs.Name, o.describe(int(rs.Info)))
		}
	}
	return nil
}

// Special symbols: the init and exit functions.
const (
	InitSymbol = "init_module"
	ExitSymbol = "cleanup_module"
)

// checkSymbols refuses defined symbols the module could not use safely: a global
// symbol in a section that is not loaded, a symbol extending past its section, a
// function outside the module's text (or absolute), and init and exit functions
// that are not global functions inside the text.
func (img *Image) checkSymbols() error {
	o := img.Obj
	for i := 1; i < len(o.Symbols); i++ {
		s := &o.Symbols[i]
		if s.Shndx == SHN_UNDEF {
			continue
		}
		if s.Shndx == SHN_ABS {
			if s.Type() == STT_FUNC {
				return errorf(ErrMalformed, "function symbol %s is absolute (%#x), not in the module's text", o.symDesc(s), s.Value)
			}
			continue
		}
		p := img.Place[s.Shndx]
		if !p.Placed {
			if s.Bind() != STB_LOCAL {
				return errorf(ErrMalformed, "global symbol %s is defined in %s, which is not loaded",
					o.symDesc(s), o.describe(int(s.Shndx)))
			}
			continue
		}
		sec := &o.Sections[s.Shndx]
		if s.Value > sec.Size || uint64(s.Value)+uint64(s.Size) > uint64(sec.Size) {
			return errorf(ErrMalformed, "symbol %s [%#x, %#x) is outside its section %s (%d bytes)",
				o.symDesc(s), s.Value, uint64(s.Value)+uint64(s.Size), sec.Name, sec.Size)
		}
		if s.Type() == STT_FUNC && p.Region != Text {
			return errorf(ErrMalformed, "function symbol %s is in %s, which is not executable", o.symDesc(s), sec.Name)
		}
	}
	if err := img.checkFunctionOverlaps(); err != nil {
		return err
	}
	for _, name := range []string{InitSymbol, ExitSymbol} {
		if _, err := img.specialSymbol(name); err != nil {
			return err
		}
	}
	return nil
}

// specialSymbol finds the init or exit function: nil if the module has none; an
// error unless it is exactly one global function defined inside the module's text.
func (img *Image) specialSymbol(name string) (*Symbol, error) {
	o := img.Obj
	var found *Symbol
	for i := 1; i < len(o.Symbols); i++ {
		s := &o.Symbols[i]
		if s.Name != name {
			continue
		}
		if found != nil {
			return nil, errorf(ErrMalformed, "%s is defined twice (symbols %d and %d)", name, found.Index, i)
		}
		found = s
	}
	if found == nil {
		return nil, nil
	}
	s := found
	switch {
	case s.Shndx == SHN_UNDEF:
		return nil, errorf(ErrMalformed, "%s is declared but not defined in the module", name)
	case s.Bind() != STB_GLOBAL || s.Type() != STT_FUNC:
		return nil, errorf(ErrMalformed, "%s must be a global function (it is %s)", name, kindOf(s))
	case s.Shndx >= SHN_LORESERVE || !img.Place[s.Shndx].Placed || img.Place[s.Shndx].Region != Text:
		return nil, errorf(ErrMalformed, "%s is not in the module's text", name)
	case s.Value >= o.Sections[s.Shndx].Size:
		return nil, errorf(ErrMalformed, "%s is at offset %#x, at or past the end of %s (%d bytes)",
			name, s.Value, o.Sections[s.Shndx].Name, o.Sections[s.Shndx].Size)
	}
	return s, nil
}

// Init is the address of the module's init function ("init_module", a global
// function), after Relocate.
func (img *Image) Init() (uint32, bool) { return img.special(InitSymbol) }

// Exit is the address of the module's exit function ("cleanup_module").
func (img *Image) Exit() (uint32, bool) { return img.special(ExitSymbol) }

func (img *Image) special(name string) (uint32, bool) {
	if !img.relocd {
		return 0, false
	}
	s, err := img.specialSymbol(name)
	if err != nil || s == nil {
		return 0, false
	}
	return img.definedAddr(s)
}

// checkFunctionOverlaps refuses two functions of a section that overlap without
// being the same function under two names (an alias, such as init_module for the
// module_init function): a corrupted value or size makes one start inside the other.
func (img *Image) checkFunctionOverlaps() error {
	o := img.Obj
	var fs []*Symbol
	for i := 1; i < len(o.Symbols); i++ {
		s := &o.Symbols[i]
		if s.Type() == STT_FUNC && s.Size > 0 && s.Shndx != SHN_UNDEF && s.Shndx < SHN_LORESERVE && img.Place[s.Shndx].Placed {
			fs = append(fs, s)
		}
	}
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].Shndx != fs[j].Shndx {
			return fs[i].Shndx < fs[j].Shndx
		}
		return fs[i].Value < fs[j].Value
	})
	end := func(s *Symbol) uint64 { return uint64(s.Value) + uint64(s.Size) }
	var reach *Symbol // the function reaching furthest so far in this section
	for _, b := range fs {
		if reach == nil || reach.Shndx != b.Shndx || end(reach) <= uint64(b.Value) {
			reach = b
			continue
		}
		// b overlaps reach (and whatever else it overlaps, it overlaps reach).
		if reach.Value != b.Value || reach.Size != b.Size {
			return errorf(ErrMalformed, "functions %s [%#x, %#x) and %s [%#x, %#x) overlap",
				o.symDesc(reach), reach.Value, end(reach), o.symDesc(b), b.Value, end(b))
		}
	}
	return nil
}

// kindOf describes a symbol's binding and type: "a local function".
func kindOf(s *Symbol) string {
	bind := map[uint8]string{STB_LOCAL: "local", STB_GLOBAL: "global", STB_WEAK: "weak"}[s.Bind()]
	typ := map[uint8]string{STT_NOTYPE: "symbol without type", STT_OBJECT: "object", STT_FUNC: "function",
		STT_SECTION: "section symbol", STT_FILE: "file symbol"}[s.Type()]
	if bind == "" || typ == "" {
		return fmt.Sprintf("binding %d, type %d", s.Bind(), s.Type())
	}
	return "a " + bind + " " + typ
}
