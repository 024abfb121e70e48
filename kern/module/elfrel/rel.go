package elfrel

import "fmt"

// Rel is one Elf32_Rel entry.
type Rel struct {
	Section int    // the SHT_REL section holding it
	Index   int    // entry number within that section
	Offset  uint32 // r_offset: byte offset in the target section
	Sym     uint32 // ELF32_R_SYM(r_info)
	Type    uint8  // ELF32_R_TYPE(r_info)
	FileOff int    // file offset of the entry
}

// (Sparse arrays rather than maps: an array of strings is static data,
// while a map literal is built at every boot by the package's initialisation.)
var relocNames = [...]string{
	0: "R_386_NONE", 1: "R_386_32", 2: "R_386_PC32", 3: "R_386_GOT32", 4: "R_386_PLT32",
	5: "R_386_COPY", 6: "R_386_GLOB_DAT", 7: "R_386_JMP_SLOT", 8: "R_386_RELATIVE",
	9: "R_386_GOTOFF", 10: "R_386_GOTPC", 11: "R_386_32PLT",
	14: "R_386_TLS_TPOFF", 15: "R_386_TLS_IE", 16: "R_386_TLS_GOTIE", 17: "R_386_TLS_LE",
	18: "R_386_TLS_GD", 19: "R_386_TLS_LDM", 20: "R_386_16", 21: "R_386_PC16",
	22: "R_386_8", 23: "R_386_PC8", 24: "R_386_TLS_GD_32", 37: "R_386_TLS_DTPMOD32",
	38: "R_386_TLS_DTPOFF32", 39: "R_386_TLS_TPOFF32", 41: "R_386_SIZE32",
	42: "R_386_IRELATIVE", 43: "R_386_GOT32X",
}

// RelocName is the ABI name of an i386 relocation type.
func RelocName(t uint8) string {
	if int(t) < len(relocNames) && relocNames[t] != "" {
		return relocNames[t]
	}
	return fmt.Sprintf("R_386_unknown%d", t)
}

// Rels decodes the entries of REL section sec (Parse checked its bounds).
func (o *Object) Rels(sec int) ([]Rel, error) {
	if sec <= 0 || sec >= len(o.Sections) || o.Sections[sec].Type != SHT_REL {
		return nil, errorf(ErrMalformed, "section %d is not a REL section", sec)
	}
	s := &o.Sections[sec]
	raw := o.contents(s)
	out := make([]Rel, len(raw)/RelSize)
	for i := range out {
		e := raw[i*RelSize:]
		info := le.Uint32(e[4:])
		out[i] = Rel{
			Section: sec, Index: i, Offset: le.Uint32(e[0:]),
			Sym: info >> 8, Type: uint8(info), FileOff: int(s.Offset) + i*RelSize,
		}
	}
	return out, nil
}

// RelSections lists the REL sections whose target section is allocated: the ones
// Relocate applies (relocations of debug sections are ignored).
func (o *Object) RelSections() []int {
	var out []int
	for i := range o.Sections {
		s := &o.Sections[i]
		if s.Type == SHT_REL && o.Sections[s.Info].Alloc() {
			out = append(out, i)
		}
	}
	return out
}

// Editing helpers: they patch raw object bytes in place at offsets Parse recorded.
// tools/badko uses them to derive malformed modules from a valid one.

// PutRel writes r's offset, symbol and type back to its entry in data.
func PutRel(data []byte, r Rel) {
	le.PutUint32(data[r.FileOff:], r.Offset)
	le.PutUint32(data[r.FileOff+4:], r.Sym<<8|uint32(r.Type))
}

// PutSymbolName points symbol s's name at offset nameOff of the string table.
func PutSymbolName(data []byte, s Symbol, nameOff uint32) {
	le.PutUint32(data[s.FileOff:], nameOff)
}

// PutType sets the ELF header's e_type.
func PutType(data []byte, t uint16) { le.PutUint16(data[16:], t) }

// PutMachine sets the ELF header's e_machine.
func PutMachine(data []byte, m uint16) { le.PutUint16(data[18:], m) }

// PutSection writes every field of s back to its section header in data.
func PutSection(data []byte, s Section) {
	h := data[s.HdrOff:]
	for i, v := range []uint32{s.NameOff, s.Type, s.Flags, s.Addr, s.Offset, s.Size, s.Link, s.Info, s.Addralign, s.Entsize} {
		le.PutUint32(h[4*i:], v)
	}
}

// PutSymbol writes every field of s back to its symbol table entry in data.
func PutSymbol(data []byte, s Symbol) {
	e := data[s.FileOff:]
	le.PutUint32(e[0:], s.NameOff)
	le.PutUint32(e[4:], s.Value)
	le.PutUint32(e[8:], s.Size)
	e[12], e[13] = s.Info, s.Other
	le.PutUint16(e[14:], s.Shndx)
}
