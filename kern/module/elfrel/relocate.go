package elfrel

import (
	"errors"
	"sort"
	"strings"
)

// Resolver returns the address of an undefined symbol: the kernel's export table
// (KABI) and other modules' exports. Any error means "not found".
type Resolver func(name string) (uint32, error)

// Relocate applies every relocation of an allocated section, with the regions
// placed at bases. It first refills the regions from the object, so it may be called
// again with other bases. Each base must be a multiple of its region's Align.
//
// Every undefined symbol is resolved first, referenced or not (as Linux does):
// resolve(name), or 0 for an unresolved weak symbol; the others are reported
// together: "undefined symbol: foo" or "undefined symbols: foo, bar". Then each
// must be used by a relocation (an unused one means relocations were lost).
//
// Supported types: R_386_32 (S + A), R_386_PC32 and R_386_PLT32 (S + A - P, a module
// has no PLT: calls go straight to the symbol); anything else, R_386_NONE included,
// is refused (as Linux does: a compiler never emits R_386_NONE into an object, and
// a corrupted type must not make a relocation silently vanish). A is the addend stored in
// place. S is the placed address of a symbol defined in the object (section symbols
// included), its value if absolute, or the resolved address if undefined. A
// relocation must name a symbol (not index 0), lie with its 4 bytes inside its
// section, and not overlap another relocation of the same section; in code, a
// PC-relative one must be the operand of a call or jump (E8, E9, 0F 8x) and go to
// code.
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
	undef, err := img.resolveUndefined(resolve)
	if err != nil {
		return err
	}
	for _, ri := range o.RelSections() {
		rs := &o.Sections[ri]
		target := &o.Sections[rs.Info]
		tp := img.Place[rs.Info]
		if !tp.Placed || target.Type == SHT_NOBITS { // Layout refused these
			return errorf(ErrReloc, "relocation section %s applies to %s, which is not loaded", rs.Name, target.Name)
		}
		rels, err := o.Rels(ri)
		if err != nil {
			return err
		}
		if err := checkRels(o, rs, target, rels); err != nil {
			return err
		}
		buf := img.Regions[tp.Region].Bytes
		for _, r := range rels {
			sym := &o.Symbols[r.Sym]
			S, err := img.symbolValue(sym, undef)
			if err != nil {
				return err
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
	if err := checkUndefinedUsed(o); err != nil {
		return err
	}
	img.relocd = true
	return nil
}

// checkRels checks every relocation of one section before any is applied.
func checkRels(o *Object, rs, target *Section, rels []Rel) error {
	var offs []uint32
	for _, r := range rels {
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
		if r.Sym == 0 {
			return errorf(ErrReloc, "relocation %d in %s at offset %#x refers to symbol 0 (no symbol)",
				r.Index, rs.Name, r.Offset)
		}
		if r.Type != R_386_32 && target.Flags&SHF_EXECINSTR != 0 {
			// In i386 code only call, jmp and jcc have 32-bit PC-relative operands.
			if s := &o.Symbols[r.Sym]; !isCode(o, s) {
				return errorf(ErrReloc, "relocation %d in %s at offset %#x: a call or jump (%s) to %s, which is not code",
					r.Index, rs.Name, r.Offset, RelocName(r.Type), o.symDesc(s))
			}
			if !afterBranchOpcode(o.contents(target), r.Offset) {
				return errorf(ErrReloc, "relocation %d in %s at offset %#x: %s, but the bytes before it are not a call or jump opcode",
					r.Index, rs.Name, r.Offset, RelocName(r.Type))
			}
		}
		offs = append(offs, r.Offset)
	}
	sort.Slice(offs, func(i, j int) bool { return offs[i] < offs[j] })
	for i := 1; i < len(offs); i++ {
		if offs[i]-offs[i-1] < 4 {
			return errorf(ErrReloc, "relocations in %s at offsets %#x and %#x overlap", rs.Name, offs[i-1], offs[i])
		}
	}
	return nil
}

// afterBranchOpcode reports whether the 4 bytes at off in code are the rel32
// operand of a call (E8), jmp (E9) or jcc (0F 80-8F).
func afterBranchOpcode(code []byte, off uint32) bool {
	switch {
	case off >= 1 && (code[off-1] == 0xe8 || code[off-1] == 0xe9):
		return true
	case off >= 2 && code[off-2] == 0x0f && code[off-1]&0xf0 == 0x80:
		return true
	}
	return false
}

// isCode reports whether a relocation against s can be a call or jump target: an
// undefined symbol (resolved elsewhere) or one defined in an executable section.
func isCode(o *Object, s *Symbol) bool {
	switch {
	case s.Shndx == SHN_UNDEF:
		return true
	case s.Shndx >= SHN_LORESERVE:
		return false
	}
	return o.Sections[s.Shndx].Flags&SHF_EXECINSTR != 0
}

// checkUndefinedUsed refuses an undefined symbol that no relocation uses: the
// compiler emits one only for a reference, so its relocations were lost (a
// relocation section dropped, retyped or cut short) and the code that needs it
// would run unrelocated.
func checkUndefinedUsed(o *Object) error {
	used := map[uint32]bool{}
	for i := range o.Sections {
		if o.Sections[i].Type != SHT_REL {
			continue
		}
		rels, err := o.Rels(i)
		if err != nil {
			return err
		}
		for _, r := range rels {
			used[r.Sym] = true
		}
	}
	for i := 1; i < len(o.Symbols); i++ {
		if s := &o.Symbols[i]; s.Shndx == SHN_UNDEF && !used[uint32(i)] {
			return errorf(ErrReloc, "undefined symbol %s is used by no relocation (were relocations lost?)", o.symDesc(s))
		}
	}
	return nil
}

// resolveUndefined resolves every undefined symbol: the result maps a symbol index
// to its address.
func (img *Image) resolveUndefined(resolve Resolver) (map[int]uint32, error) {
	o := img.Obj
	out := map[int]uint32{}
	cache := map[string]uint32{}
	var missing []string
	seen := map[string]bool{}
	for i := 1; i < len(o.Symbols); i++ {
		s := &o.Symbols[i]
		if s.Shndx != SHN_UNDEF {
			continue
		}
		if s.Name == "" {
			return nil, errorf(ErrReloc, "undefined symbol %d has no name", i)
		}
		if v, ok := cache[s.Name]; ok {
			out[i] = v
			continue
		}
		var rerr error = errors.New("no resolver")
		var v uint32
		if resolve != nil {
			v, rerr = resolve(s.Name)
		}
		switch {
		case rerr == nil:
			cache[s.Name] = v
			out[i] = v
		case s.Bind() == STB_WEAK:
			out[i] = 0
		case !seen[s.Name]:
			seen[s.Name] = true
			missing = append(missing, s.Name)
		}
	}
	switch len(missing) {
	case 0:
		return out, nil
	case 1:
		return nil, errorf(ErrUndefined, "undefined symbol: %s", missing[0])
	default:
		return nil, errorf(ErrUndefined, "undefined symbols: %s", strings.Join(missing, ", "))
	}
}

// symbolValue computes S for a relocation against symbol s (not symbol 0).
func (img *Image) symbolValue(s *Symbol, undef map[int]uint32) (uint32, error) {
	o := img.Obj
	switch {
	case s.Shndx == SHN_UNDEF:
		return undef[s.Index], nil
	case s.Shndx == SHN_ABS:
		return s.Value, nil
	case s.Shndx >= SHN_LORESERVE: // Parse refused the others
		return 0, errorf(ErrUnsupported, "symbol %s: reserved section index %#x", s.Name, s.Shndx)
	}
	sec := &o.Sections[s.Shndx]
	if !img.Place[s.Shndx].Placed {
		return 0, errorf(ErrReloc, "symbol %q is in section %s, which is not loaded", symName(o, s), sec.Name)
	}
	if s.Value > sec.Size {
		return 0, errorf(ErrReloc, "symbol %q: value %#x is outside its section %s (%d bytes)", symName(o, s), s.Value, sec.Name, sec.Size)
	}
	addr, _ := img.SectionAddr(int(s.Shndx))
	return addr + s.Value, nil
}

// symName names a symbol for messages (section symbols by their section).
func symName(o *Object, s *Symbol) string {
	if s.Name == "" && s.Type() == STT_SECTION && int(s.Shndx) < len(o.Sections) {
		return o.Sections[s.Shndx].Name
	}
	return s.Name
}
