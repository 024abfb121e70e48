package elfrel

import (
	"errors"
	"strings"
)

// Resolver returns the address of an undefined symbol: the kernel's export table
// (KABI) and other modules' exports. Any error means "not found".
type Resolver func(name string) (uint32, error)

// Relocate applies every relocation of an allocated section, with the regions
// placed at bases. It first refills the regions from the object, so it may be called
// again with other bases. Each base must be a multiple of its region's Align.
//
// Supported types: R_386_32 (S + A), R_386_PC32 and R_386_PLT32 (S + A - P, a module
// has no PLT: calls go straight to the symbol), R_386_NONE. A is the addend stored in
// place. S is the placed address of a symbol defined in the object (section symbols
// included), its value if absolute, or resolve(name) if undefined (0 for an
// unresolved weak symbol). Undefined symbols are collected and reported together:
// "undefined symbol: foo" or "undefined symbols: foo, bar".
func Relocate(img *Image, bases [NumRegions]uint32, resolve Resolver) error {
	img.relocd = false
	for r := range img.Regions {
		if a := img.Regions[r].Align; a > 1 && bases[r]%a != 0 {
			return errorf(ErrReloc, "%s base %#x is not %d-byte aligned", Region(r), bases[r], a)
		}
		if end := uint64(bases[r]) + uint64(len(img.Regions[r].Bytes)); end > 1<<32 {
			return errorf(ErrReloc, "%s region at %#x overflows the address space", Region(r), bases[r])
		}
	}
	img.Bases = bases
	img.fill()
	o := img.Obj
	var undef []string
	seen := map[string]bool{}
	cache := map[string]uint32{}
	for _, ri := range o.RelSections() {
		rs := &o.Sections[ri]
		target := &o.Sections[rs.Info]
		tp := img.Place[rs.Info]
		if !tp.Placed {
			return errorf(ErrReloc, "relocation section %s applies to %s, which is not loaded", rs.Name, target.Name)
		}
		if target.Type == SHT_NOBITS {
			return errorf(ErrReloc, "relocation section %s applies to %s, which has no contents", rs.Name, target.Name)
		}
		rels, err := o.Rels(ri)
		if err != nil {
			return err
		}
		buf := img.Regions[tp.Region].Bytes
		for _, r := range rels {
			if r.Type == R_386_NONE {
				continue
			}
			if r.Type != R_386_32 && r.Type != R_386_PC32 && r.Type != R_386_PLT32 {
				return errorf(ErrReloc, "unsupported relocation %s (%d) in %s at offset %#x",
					RelocName(r.Type), r.Type, rs.Name, r.Offset)
			}
			if uint64(r.Offset)+4 > uint64(target.Size) {
				return errorf(ErrReloc, "relocation %d in %s at offset %#x is outside %s (%d bytes)",
					r.Index, rs.Name, r.Offset, target.Name, target.Size)
			}
			if r.Sym >= uint32(len(o.Symbols)) {
				return errorf(ErrReloc, "relocation %d in %s at offset %#x: symbol index %d out of range (%d symbols)",
					r.Index, rs.Name, r.Offset, r.Sym, len(o.Symbols))
			}
			sym := &o.Symbols[r.Sym]
			S, ok, err := img.symbolValue(sym, resolve, cache)
			if err != nil {
				return err
			}
			if !ok {
				if !seen[sym.Name] {
					seen[sym.Name] = true
					undef = append(undef, sym.Name)
				}
				continue
			}
			at := tp.Off + r.Offset
			A := le.Uint32(buf[at:])
			v := S + A
			if r.Type != R_386_32 {
				v -= bases[tp.Region] + at // P
			}
			le.PutUint32(buf[at:], v)
		}
	}
	switch len(undef) {
	case 0:
	case 1:
		return errorf(ErrUndefined, "undefined symbol: %s", undef[0])
	default:
		return errorf(ErrUndefined, "undefined symbols: %s", strings.Join(undef, ", "))
	}
	img.relocd = true
	return nil
}

// symbolValue computes S for a relocation. ok is false for an unresolved undefined
// symbol (collected by the caller); err is for symbols that cannot work at all.
func (img *Image) symbolValue(s *Symbol, resolve Resolver, cache map[string]uint32) (v uint32, ok bool, err error) {
	o := img.Obj
	switch {
	case s.Index == 0:
		return 0, true, nil // no symbol: S = 0
	case s.Shndx == SHN_UNDEF:
		if s.Name == "" {
			return 0, false, errorf(ErrReloc, "undefined symbol %d has no name", s.Index)
		}
		if v, ok := cache[s.Name]; ok {
			return v, true, nil
		}
		var rerr error = errors.New("no resolver")
		if resolve != nil {
			v, rerr = resolve(s.Name)
		}
		if rerr != nil {
			if s.Bind() == STB_WEAK {
				return 0, true, nil
			}
			return 0, false, nil
		}
		cache[s.Name] = v
		return v, true, nil
	case s.Shndx == SHN_ABS:
		return s.Value, true, nil
	case s.Shndx == SHN_COMMON:
		return 0, false, errorf(ErrUnsupported, "common symbol %s: compile modules with -fno-common", s.Name)
	case s.Shndx >= SHN_LORESERVE:
		return 0, false, errorf(ErrUnsupported, "symbol %s: reserved section index %#x", s.Name, s.Shndx)
	}
	sec := &o.Sections[s.Shndx]
	if !img.Place[s.Shndx].Placed {
		return 0, false, errorf(ErrReloc, "symbol %q is in section %s, which is not loaded", symName(o, s), sec.Name)
	}
	if s.Value > sec.Size {
		return 0, false, errorf(ErrReloc, "symbol %q: value %#x is outside its section %s (%d bytes)", symName(o, s), s.Value, sec.Name, sec.Size)
	}
	addr, _ := img.SectionAddr(int(s.Shndx))
	return addr + s.Value, true, nil
}

// symName names a symbol for messages (section symbols by their section).
func symName(o *Object, s *Symbol) string {
	if s.Name == "" && s.Type() == STT_SECTION && int(s.Shndx) < len(o.Sections) {
		return o.Sections[s.Shndx].Name
	}
	return s.Name
}
