// Package elfrel loads ELF32 i386 relocatable objects (gojos modules, ".ko"), as pure
// computation on bytes: Parse checks and indexes the file, Layout places its
// allocated sections into text, rodata and data regions, Relocate applies its
// relocations for given region addresses, and Exports lists what it defines.
//
// The kernel maps the regions (text RX, rodata R, data RW) and copies the relocated
// bytes there; host tools (tools/badko) and host fuzz tests run the same code. Every
// malformed input is an *Error (never a panic) that says what is wrong; errors.Is
// classifies it (ErrNotELF, ErrUnsupported, ErrMalformed, ErrReloc, ErrUndefined).
//
// Parse, Layout and Relocate refuse what Linux's module loader refuses, plus
// structural invariants that keep one corrupted field from running code
// unrelocated or from the wrong place (check.go, symbols.go, relocate.go; the list
// is in docs/design.md, "Live patching").
//
// Conventions for gojos modules (see modules/include/gojos/module.h):
//   - init function: the global symbol "init_module" (module_init(fn) makes it an
//     alias of fn, as Linux does); optional; returns int, 0 = success.
//   - exit function: the global symbol "cleanup_module" (module_exit(fn)); a module
//     without one cannot be unloaded.
//   - metadata: NUL-terminated "key=value" strings in a section named ".modinfo"
//     (MODULE_NAME("test") emits "name=test"), read but not loaded (modinfo.go).
package elfrel

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// Error classes; every error from this package wraps exactly one (use errors.Is).
var (
	ErrNotELF      = errors.New("not an ELF file")
	ErrUnsupported = errors.New("unsupported ELF file")
	ErrMalformed   = errors.New("malformed ELF file")
	ErrReloc       = errors.New("bad relocation")
	ErrUndefined   = errors.New("undefined symbol")
)

// Error is an error with a class and a message.
type Error struct {
	Class error
	Msg   string
}

func (e *Error) Error() string { return e.Msg }

// Unwrap returns the class.
func (e *Error) Unwrap() error { return e.Class }

func errorf(class error, format string, args ...any) error {
	return &Error{Class: class, Msg: fmt.Sprintf(format, args...)}
}

// ELF constants (System V ABI and its i386 supplement).
const (
	EhdrSize  = 52
	ShdrSize  = 40
	SymSize   = 16
	RelSize   = 8
	RelaSize  = 12
	ET_REL    = 1
	ET_EXEC   = 2
	ET_DYN    = 3
	EM_386    = 3
	EM_X86_64 = 62

	SHT_NULL     = 0
	SHT_PROGBITS = 1
	SHT_SYMTAB   = 2
	SHT_STRTAB   = 3
	SHT_RELA     = 4
	SHT_NOBITS   = 8
	SHT_REL      = 9

	SHF_WRITE     = 0x1
	SHF_ALLOC     = 0x2
	SHF_EXECINSTR = 0x4
	SHF_TLS       = 0x400

	SHN_UNDEF     = 0
	SHN_LORESERVE = 0xff00
	SHN_ABS       = 0xfff1
	SHN_COMMON    = 0xfff2
	SHN_XINDEX    = 0xffff

	STB_LOCAL  = 0
	STB_GLOBAL = 1
	STB_WEAK   = 2

	STT_NOTYPE  = 0
	STT_OBJECT  = 1
	STT_FUNC    = 2
	STT_SECTION = 3
	STT_FILE    = 4

	R_386_NONE  = 0
	R_386_32    = 1
	R_386_PC32  = 2
	R_386_PLT32 = 4
)

// MaxAlign is the largest section alignment accepted (one page).
const MaxAlign = 4096

// Section is one section header.
type Section struct {
	Index     int
	Name      string
	NameOff   uint32 // sh_name: offset in the section name table
	Type      uint32
	Flags     uint32
	Addr      uint32
	Offset    uint32
	Size      uint32
	Link      uint32
	Info      uint32
	Addralign uint32
	Entsize   uint32
	HdrOff    int // file offset of the section header
}

// Alloc reports SHF_ALLOC.
func (s *Section) Alloc() bool { return s.Flags&SHF_ALLOC != 0 }

// Symbol is one symbol table entry.
type Symbol struct {
	Index   int
	Name    string
	NameOff uint32
	Value   uint32
	Size    uint32
	Info    uint8
	Other   uint8
	Shndx   uint16
	FileOff int // file offset of the entry
}

// Bind is the symbol's binding (STB_*).
func (s *Symbol) Bind() uint8 { return s.Info >> 4 }

// Type is the symbol's type (STT_*).
func (s *Symbol) Type() uint8 { return s.Info & 0xf }

// Object is a parsed, bounds-checked relocatable object.
type Object struct {
	Data     []byte
	Sections []Section
	Symbols  []Symbol // Symbols[0] is the null symbol
	Symtab   int      // index of the SHT_SYMTAB section
}

var le = binary.LittleEndian

// machines names other architectures' e_machine values.
// (Sparse arrays rather than maps: an array of strings is static data,
// while a map literal is built at every boot by the package's initialisation.)
var machines = [...]string{
	2: "SPARC", 8: "MIPS", 20: "PowerPC", 21: "PowerPC64", 40: "ARM",
	EM_X86_64: "x86-64", 183: "AArch64", 243: "RISC-V", 258: "LoongArch",
}

// Parse checks that data is an ELF32 little-endian i386 relocatable object and
// indexes its sections and symbols, checking every offset against the file.
func Parse(data []byte) (*Object, error) {
	if len(data) < 4 || string(data[:4]) != "\x7fELF" {
		return nil, errorf(ErrNotELF, "not an ELF file (no \\x7fELF magic)")
	}
	if len(data) < 16 {
		return nil, errorf(ErrMalformed, "truncated ELF header: %d bytes, need %d", len(data), EhdrSize)
	}
	switch data[4] {
	case 1:
	case 2:
		return nil, errorf(ErrUnsupported, "ELF64 not supported: modules are ELF32 (i386)")
	default:
		return nil, errorf(ErrMalformed, "bad ELF class %d", data[4])
	}
	switch data[5] {
	case 1:
	case 2:
		return nil, errorf(ErrUnsupported, "big-endian ELF not supported")
	default:
		return nil, errorf(ErrMalformed, "bad ELF data encoding %d", data[5])
	}
	if data[6] != 1 {
		return nil, errorf(ErrMalformed, "bad ELF version %d", data[6])
	}
	if len(data) < EhdrSize {
		return nil, errorf(ErrMalformed, "truncated ELF header: %d bytes, need %d", len(data), EhdrSize)
	}
	switch typ := le.Uint16(data[16:]); typ {
	case ET_REL:
	case ET_EXEC:
		return nil, errorf(ErrUnsupported, "not a relocatable object (ET_EXEC): is this a program, not a module?")
	case ET_DYN:
		return nil, errorf(ErrUnsupported, "not a relocatable object (ET_DYN): shared objects are not modules")
	default:
		return nil, errorf(ErrUnsupported, "not a relocatable object (ELF type %d)", typ)
	}
	if m := le.Uint16(data[18:]); m != EM_386 {
		var name string
		if int(m) < len(machines) {
			name = machines[m]
		}
		if name == "" {
			name = "unknown"
		}
		return nil, errorf(ErrUnsupported, "wrong machine %s (%d): modules must be i386 (%d)", name, m, EM_386)
	}
	shoff := le.Uint32(data[32:])
	shentsize := le.Uint16(data[46:])
	shnum := le.Uint16(data[48:])
	shstrndx := le.Uint16(data[50:])
	if shnum == 0 {
		return nil, errorf(ErrMalformed, "no section headers (e_shnum 0)")
	}
	if shentsize != ShdrSize {
		return nil, errorf(ErrMalformed, "section header size %d, want %d", shentsize, ShdrSize)
	}
	if end := uint64(shoff) + uint64(shnum)*ShdrSize; end > uint64(len(data)) {
		return nil, errorf(ErrMalformed, "section header table [%#x, %#x) is out of bounds of the %d-byte file (truncated?)",
			shoff, end, len(data))
	}
	if shstrndx == SHN_UNDEF || shstrndx >= shnum {
		return nil, errorf(ErrMalformed, "section name table index %d out of range (%d sections)", shstrndx, shnum)
	}
	o := &Object{Data: data, Sections: make([]Section, shnum)}
	for i := range o.Sections {
		off := int(shoff) + i*ShdrSize
		h := data[off:]
		o.Sections[i] = Section{
			Index: i, NameOff: le.Uint32(h[0:]), Type: le.Uint32(h[4:]), Flags: le.Uint32(h[8:]), Addr: le.Uint32(h[12:]),
			Offset: le.Uint32(h[16:]), Size: le.Uint32(h[20:]), Link: le.Uint32(h[24:]),
			Info: le.Uint32(h[28:]), Addralign: le.Uint32(h[32:]), Entsize: le.Uint32(h[36:]),
			HdrOff: off,
		}
		s := &o.Sections[i]
		if s.Type != SHT_NOBITS && s.Type != SHT_NULL {
			if end := uint64(s.Offset) + uint64(s.Size); end > uint64(len(data)) {
				return nil, errorf(ErrMalformed, "section %d: contents [%#x, %#x) are out of bounds of the %d-byte file (truncated?)",
					i, s.Offset, end, len(data))
			}
		}
		if s.Addralign&(s.Addralign-1) != 0 {
			return nil, errorf(ErrMalformed, "section %d: alignment %d is not a power of two", i, s.Addralign)
		}
	}
	if err := o.checkSection0(); err != nil {
		return nil, err
	}
	shstr := &o.Sections[shstrndx]
	if shstr.Type != SHT_STRTAB {
		return nil, errorf(ErrMalformed, "section name table (section %d) is not a string table", shstrndx)
	}
	for i := range o.Sections {
		name, err := cstring(o.contents(shstr), o.Sections[i].NameOff)
		if err != nil {
			return nil, errorf(ErrMalformed, "section %d name: %v", i, err)
		}
		o.Sections[i].Name = name
	}
	if err := o.checkOverlaps(shoff); err != nil {
		return nil, err
	}
	if err := o.parseSymbols(); err != nil {
		return nil, err
	}
	for i := range o.Sections {
		if t := o.Sections[i].Type; t == SHT_REL || t == SHT_RELA {
			if err := o.checkRelSection(i); err != nil {
				return nil, err
			}
		}
	}
	if err := o.checkRelTargets(); err != nil {
		return nil, err
	}
	return o, nil
}

// contents returns a section's bytes (nil for NOBITS); Parse checked the bounds.
func (o *Object) contents(s *Section) []byte {
	if s.Type == SHT_NOBITS || s.Type == SHT_NULL {
		return nil
	}
	return o.Data[s.Offset : s.Offset+s.Size]
}

// Contents returns the file bytes of section i (nil for NOBITS or a bad index).
func (o *Object) Contents(i int) []byte {
	if i < 0 || i >= len(o.Sections) {
		return nil
	}
	return o.contents(&o.Sections[i])
}

func (o *Object) parseSymbols() error {
	o.Symtab = -1
	for i := range o.Sections {
		if o.Sections[i].Type == SHT_SYMTAB {
			if o.Symtab >= 0 {
				return errorf(ErrMalformed, "more than one symbol table (sections %d and %d)", o.Symtab, i)
			}
			o.Symtab = i
		}
	}
	if o.Symtab < 0 {
		return errorf(ErrMalformed, "no symbol table (was the object stripped?)")
	}
	st := &o.Sections[o.Symtab]
	if st.Entsize != SymSize || st.Size%SymSize != 0 {
		return errorf(ErrMalformed, "symbol table %s: entry size %d and size %d, want entries of %d bytes", st.Name, st.Entsize, st.Size, SymSize)
	}
	if st.Link == 0 || st.Link >= uint32(len(o.Sections)) || o.Sections[st.Link].Type != SHT_STRTAB {
		return errorf(ErrMalformed, "symbol table %s: string table index %d is not a string table", st.Name, st.Link)
	}
	strtab := o.contents(&o.Sections[st.Link])
	raw := o.contents(st)
	n := len(raw) / SymSize
	o.Symbols = make([]Symbol, n)
	for i := 0; i < n; i++ {
		e := raw[i*SymSize:]
		s := Symbol{
			Index: i, NameOff: le.Uint32(e[0:]), Value: le.Uint32(e[4:]), Size: le.Uint32(e[8:]),
			Info: e[12], Other: e[13], Shndx: le.Uint16(e[14:]), FileOff: int(st.Offset) + i*SymSize,
		}
		name, err := cstring(strtab, s.NameOff)
		if err != nil {
			return errorf(ErrMalformed, "symbol %d name: %v", i, err)
		}
		s.Name = name
		if err := o.checkSymbol(&s); err != nil {
			return err
		}
		o.Symbols[i] = s
	}
	if n == 0 {
		return errorf(ErrMalformed, "symbol table %s is empty", st.Name)
	}
	// One section symbol per section, as compilers and linkers write them.
	secSym := map[uint16]int{}
	for _, s := range o.Symbols[1:] {
		if s.Type() != STT_SECTION {
			continue
		}
		if j, dup := secSym[s.Shndx]; dup {
			return errorf(ErrMalformed, "symbols %d and %d are both the section symbol of %s", j, s.Index, o.describe(int(s.Shndx)))
		}
		secSym[s.Shndx] = s.Index
	}
	return nil
}

// cstring returns the NUL-terminated string at off in tab.
func cstring(tab []byte, off uint32) (string, error) {
	if uint64(off) >= uint64(len(tab)) {
		return "", fmt.Errorf("string offset %#x is out of bounds of the %d-byte string table", off, len(tab))
	}
	if n := bytes.IndexByte(tab[off:], 0); n >= 0 {
		return string(tab[off : int(off)+n]), nil
	}
	return "", fmt.Errorf("string at offset %#x is not NUL-terminated", off)
}

// Lookup returns the first symbol named name.
func (o *Object) Lookup(name string) (Symbol, bool) {
	for _, s := range o.Symbols[1:] {
		if s.Name == name {
			return s, true
		}
	}
	return Symbol{}, false
}

// SectionByName returns the first section named name.
func (o *Object) SectionByName(name string) (*Section, bool) {
	for i := range o.Sections {
		if o.Sections[i].Name == name {
			return &o.Sections[i], true
		}
	}
	return nil, false
}
