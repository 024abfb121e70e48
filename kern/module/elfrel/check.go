package elfrel

import (
	"fmt"
	"sort"
)

// Structural checks Parse makes after indexing sections and symbols. They follow
// what Linux's module loader refuses (section 0 must be null, contents inside the
// file, one symbol table, relocation sections that name a real target and the
// symbol table, no common symbols), plus a few invariants every compiler and
// linker keeps that catch corrupted files cheaply: section contents do not
// overlap each other or the headers, and a relocation section's name is ".rel"
// (".rela") followed by its target's name.

// More section types, for messages and checks.
const (
	SHT_HASH          = 5
	SHT_DYNAMIC       = 6
	SHT_NOTE          = 7
	SHT_SHLIB         = 10
	SHT_DYNSYM        = 11
	SHT_INIT_ARRAY    = 14
	SHT_FINI_ARRAY    = 15
	SHT_PREINIT_ARRAY = 16
	SHT_GROUP         = 17
	SHT_SYMTAB_SHNDX  = 18

	STT_COMMON    = 5
	STT_TLS       = 6
	STT_GNU_IFUNC = 10
)

// (Sparse arrays rather than maps: an array of strings is static data,
// while a map literal is built at every boot by the package's initialisation.)
var sectionTypeNames = [...]string{
	SHT_NULL: "SHT_NULL", SHT_PROGBITS: "SHT_PROGBITS", SHT_SYMTAB: "SHT_SYMTAB", SHT_STRTAB: "SHT_STRTAB",
	SHT_RELA: "SHT_RELA", SHT_HASH: "SHT_HASH", SHT_DYNAMIC: "SHT_DYNAMIC", SHT_NOTE: "SHT_NOTE",
	SHT_NOBITS: "SHT_NOBITS", SHT_REL: "SHT_REL", SHT_SHLIB: "SHT_SHLIB", SHT_DYNSYM: "SHT_DYNSYM",
	SHT_INIT_ARRAY: "SHT_INIT_ARRAY", SHT_FINI_ARRAY: "SHT_FINI_ARRAY", SHT_PREINIT_ARRAY: "SHT_PREINIT_ARRAY",
	SHT_GROUP: "SHT_GROUP", SHT_SYMTAB_SHNDX: "SHT_SYMTAB_SHNDX",
}

// SectionTypeName is the ABI name of a section type.
func SectionTypeName(t uint32) string {
	if t < uint32(len(sectionTypeNames)) && sectionTypeNames[t] != "" {
		return sectionTypeNames[t]
	}
	return fmt.Sprintf("type %#x", t)
}

// hasContents reports whether a section of type t holds bytes of code or data that
// can be loaded and relocated.
func hasContents(t uint32) bool {
	switch t {
	case SHT_PROGBITS, SHT_NOTE, SHT_INIT_ARRAY, SHT_FINI_ARRAY, SHT_PREINIT_ARRAY:
		return true
	}
	return false
}

// describe names section i for messages: ".text (section 1)".
func (o *Object) describe(i int) string {
	if o.Sections[i].Name == "" {
		return fmt.Sprintf("section %d", i)
	}
	return fmt.Sprintf("%s (section %d)", o.Sections[i].Name, i)
}

// checkSection0 refuses a section 0 that is not the null section (ELF reserves
// index 0; Linux refuses the same).
func (o *Object) checkSection0() error {
	s := &o.Sections[0]
	if s.Type != SHT_NULL || s.Size != 0 || s.Addr != 0 {
		return errorf(ErrMalformed, "section 0 is not the null section (type %s, size %d, address %#x)",
			SectionTypeName(s.Type), s.Size, s.Addr)
	}
	return nil
}

// checkOverlaps refuses section contents that overlap each other, the ELF header
// or the section header table: no linker writes such a file, and a corrupted
// offset or size shows up this way.
func (o *Object) checkOverlaps(shoff uint32) error {
	type extent struct {
		lo, hi uint64
		what   string
	}
	ext := []extent{
		{0, EhdrSize, "the ELF header"},
		{uint64(shoff), uint64(shoff) + uint64(len(o.Sections))*ShdrSize, "the section header table"},
	}
	for i := 1; i < len(o.Sections); i++ {
		s := &o.Sections[i]
		if s.Type == SHT_NOBITS || s.Type == SHT_NULL || s.Size == 0 {
			continue
		}
		ext = append(ext, extent{uint64(s.Offset), uint64(s.Offset) + uint64(s.Size), "the contents of " + o.describe(i)})
	}
	sort.SliceStable(ext, func(i, j int) bool { return ext[i].lo < ext[j].lo })
	for i := 1; i < len(ext); i++ {
		if ext[i].lo < ext[i-1].hi {
			a, b := ext[i-1], ext[i]
			return errorf(ErrMalformed, "%s [%#x, %#x) overlaps %s [%#x, %#x)", b.what, b.lo, b.hi, a.what, a.lo, a.hi)
		}
	}
	return nil
}

// checkSymbol refuses symbols the loader cannot give a meaning to.
func (o *Object) checkSymbol(s *Symbol) error {
	name := s.Name
	if name == "" {
		name = fmt.Sprintf("#%d", s.Index)
	}
	switch {
	case s.Shndx == SHN_XINDEX:
		return errorf(ErrUnsupported, "symbol %s: extended section indices are not supported", name)
	case s.Shndx == SHN_COMMON || s.Type() == STT_COMMON:
		return errorf(ErrUnsupported, "common symbol %s: compile modules with -fno-common", name)
	case s.Shndx >= SHN_LORESERVE && s.Shndx != SHN_ABS:
		return errorf(ErrUnsupported, "symbol %s: reserved section index %#x", name, s.Shndx)
	case s.Shndx < SHN_LORESERVE && int(s.Shndx) >= len(o.Sections):
		return errorf(ErrMalformed, "symbol %s: section index %d out of range (%d sections)", name, s.Shndx, len(o.Sections))
	}
	if s.Index == 0 {
		return nil
	}
	if s.Type() == STT_SECTION && (s.Shndx == SHN_UNDEF || s.Shndx >= SHN_LORESERVE) {
		return errorf(ErrMalformed, "section symbol %s has section index %#x, not a section", name, s.Shndx)
	}
	if s.Type() == STT_SECTION && s.Value != 0 {
		// It stands for the section's start: relocations against it hold their
		// offset in the section as the addend.
		return errorf(ErrMalformed, "section symbol %s of %s has value %#x, not 0", name, o.describe(int(s.Shndx)), s.Value)
	}
	switch b := s.Bind(); b {
	case STB_LOCAL, STB_GLOBAL, STB_WEAK:
	default:
		return errorf(ErrUnsupported, "symbol %s: unsupported binding %d", name, b)
	}
	switch t := s.Type(); t {
	case STT_NOTYPE, STT_OBJECT, STT_FUNC, STT_SECTION, STT_FILE:
	case STT_TLS:
		return errorf(ErrUnsupported, "symbol %s: thread-local storage is not supported in modules", name)
	case STT_GNU_IFUNC:
		return errorf(ErrUnsupported, "symbol %s: indirect functions (STT_GNU_IFUNC) are not supported in modules", name)
	default:
		return errorf(ErrUnsupported, "symbol %s: unsupported type %d", name, t)
	}
	return nil
}

// checkRelSection validates the header of a REL or RELA section: its entries, the
// symbol table it uses and the section it applies to. A relocation section must
// apply to a section with contents other than itself, and carry that section's
// name after ".rel" (".rela"): a relocation section pointed at the wrong section
// would leave its real target unrelocated.
func (o *Object) checkRelSection(i int) error {
	s := &o.Sections[i]
	prefix, entsize := ".rel", uint32(RelSize)
	if s.Type == SHT_RELA {
		prefix, entsize = ".rela", RelaSize
	}
	if s.Entsize != entsize || s.Size%entsize != 0 {
		return errorf(ErrMalformed, "relocation section %s: entry size %d and size %d, want entries of %d bytes",
			s.Name, s.Entsize, s.Size, entsize)
	}
	if s.Link != uint32(o.Symtab) {
		return errorf(ErrMalformed, "relocation section %s: symbol table index %d, want %d (the symbol table %s)",
			s.Name, s.Link, o.Symtab, o.Sections[o.Symtab].Name)
	}
	if s.Info == 0 || s.Info >= uint32(len(o.Sections)) {
		return errorf(ErrMalformed, "relocation section %s: target section index %d out of range (%d sections)",
			s.Name, s.Info, len(o.Sections))
	}
	if s.Info == uint32(i) {
		return errorf(ErrMalformed, "relocation section %s applies to itself (section %d)", s.Name, i)
	}
	target := &o.Sections[s.Info]
	if target.Type == SHT_NOBITS {
		return errorf(ErrMalformed, "relocation section %s applies to %s, which has no contents (SHT_NOBITS)",
			s.Name, o.describe(int(s.Info)))
	}
	if !hasContents(target.Type) {
		return errorf(ErrMalformed, "relocation section %s applies to %s, a %s section, not code or data",
			s.Name, o.describe(int(s.Info)), SectionTypeName(target.Type))
	}
	if s.Name != prefix+target.Name {
		return errorf(ErrMalformed, "relocation section %s applies to %s: its name says it is for %s",
			s.Name, o.describe(int(s.Info)), trimPrefix(s.Name, prefix))
	}
	return nil
}

func trimPrefix(s, prefix string) string {
	if len(s) >= len(prefix) && s[:len(prefix)] == prefix {
		return s[len(prefix):]
	}
	return "another section"
}

// checkRelTargets refuses two relocation sections for the same section, and a
// section named like the relocations of another (".rel.text") that is not a
// relocation section: its relocations would silently not be applied.
func (o *Object) checkRelTargets() error {
	by := map[uint32]int{}
	names := map[string]bool{}
	for i := 1; i < len(o.Sections); i++ {
		names[o.Sections[i].Name] = true
	}
	for i := range o.Sections {
		s := &o.Sections[i]
		if s.Type != SHT_REL && s.Type != SHT_RELA {
			for _, p := range []string{".rela", ".rel"} {
				if len(s.Name) > len(p) && s.Name[:len(p)] == p && names[s.Name[len(p):]] {
					return errorf(ErrMalformed, "section %s is a %s section, but its name says it holds the relocations of %s",
						o.describe(i), SectionTypeName(s.Type), s.Name[len(p):])
				}
			}
			continue
		}
		if j, dup := by[s.Info]; dup {
			return errorf(ErrMalformed, "relocation sections %s and %s both apply to %s",
				o.describe(j), o.describe(i), o.describe(int(s.Info)))
		}
		by[s.Info] = i
	}
	return nil
}
