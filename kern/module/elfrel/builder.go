package elfrel

import "encoding/binary"

// Builder writes small ELF32 i386 relocatable objects: test inputs for this package,
// seeds for fuzzing, and malformed modules for tools. It writes what it is told,
// so it can also produce broken files (see the header fields).
type Builder struct {
	// Header fields, defaulting (when zero) to ELFCLASS32, ELFDATA2LSB, ET_REL, EM_386.
	Class, Encoding uint8
	Type, Machine   uint16

	secs []BSection
	syms []BSymbol
	rels map[int][]bRel // by target section index
}

// BSection describes a section to write. Size is used for NOBITS sections only.
type BSection struct {
	Name        string
	Type, Flags uint32
	Align       uint32
	Data        []byte
	Size        uint32
}

// BSymbol describes a symbol. Section is a section index returned by AddSection, or
// SHN_UNDEF/SHN_ABS/SHN_COMMON.
type BSymbol struct {
	Name        string
	Value, Size uint32
	Type, Bind  uint8
	Section     uint16
}

type bRel struct {
	off uint32
	sym int
	typ uint8
}

// AddSection adds a section and returns its index (the null section is 0).
func (b *Builder) AddSection(s BSection) int {
	b.secs = append(b.secs, s)
	return len(b.secs)
}

// AddSymbol adds a symbol and returns its index (the null symbol is 0). Add local
// symbols before global ones, as ELF requires.
func (b *Builder) AddSymbol(s BSymbol) int {
	b.syms = append(b.syms, s)
	return len(b.syms)
}

// AddRel adds a relocation of section target at offset off against symbol sym.
func (b *Builder) AddRel(target int, off uint32, sym int, typ uint8) {
	if b.rels == nil {
		b.rels = map[int][]bRel{}
	}
	b.rels[target] = append(b.rels[target], bRel{off: off, sym: sym, typ: typ})
}

type strtab struct{ b []byte }

func (t *strtab) add(s string) uint32 {
	if s == "" {
		return 0
	}
	off := uint32(len(t.b))
	t.b = append(append(t.b, s...), 0)
	return off
}

// Bytes serialises the object: header, section contents, .symtab, .strtab, one
// .rel<name> section per relocated section, .shstrtab, then the section headers.
func (b *Builder) Bytes() []byte {
	type hdr struct {
		name                        uint32
		typ, flags, off, size, link uint32
		info, align, entsize        uint32
	}
	shstr := &strtab{b: []byte{0}}
	str := &strtab{b: []byte{0}}
	out := make([]byte, EhdrSize)
	hdrs := []hdr{{}}
	put := func(data []byte, align uint32) uint32 {
		if align > 1 {
			for uint32(len(out))%align != 0 {
				out = append(out, 0)
			}
		}
		off := uint32(len(out))
		out = append(out, data...)
		return off
	}
	for _, s := range b.secs {
		h := hdr{name: shstr.add(s.Name), typ: s.Type, flags: s.Flags, align: s.Align}
		if s.Type == SHT_NOBITS {
			h.off, h.size = uint32(len(out)), s.Size
		} else {
			h.off, h.size = put(s.Data, s.Align), uint32(len(s.Data))
		}
		hdrs = append(hdrs, h)
	}
	symtab := make([]byte, SymSize)
	firstGlobal := 0
	for i, s := range b.syms {
		e := make([]byte, SymSize)
		binary.LittleEndian.PutUint32(e[0:], str.add(s.Name))
		binary.LittleEndian.PutUint32(e[4:], s.Value)
		binary.LittleEndian.PutUint32(e[8:], s.Size)
		e[12] = s.Bind<<4 | s.Type&0xf
		binary.LittleEndian.PutUint16(e[14:], s.Section)
		symtab = append(symtab, e...)
		if s.Bind == STB_LOCAL {
			firstGlobal = i + 2
		}
	}
	if firstGlobal == 0 {
		firstGlobal = 1
	}
	symIdx := len(hdrs)
	hdrs = append(hdrs, hdr{name: shstr.add(".symtab"), typ: SHT_SYMTAB, off: put(symtab, 4), size: uint32(len(symtab)),
		link: uint32(symIdx + 1), info: uint32(firstGlobal), align: 4, entsize: SymSize})
	hdrs = append(hdrs, hdr{name: shstr.add(".strtab"), typ: SHT_STRTAB, off: put(str.b, 1), size: uint32(len(str.b)), align: 1})
	for target := 1; target <= len(b.secs); target++ {
		rs, ok := b.rels[target]
		if !ok {
			continue
		}
		var data []byte
		for _, r := range rs {
			e := make([]byte, RelSize)
			binary.LittleEndian.PutUint32(e[0:], r.off)
			binary.LittleEndian.PutUint32(e[4:], uint32(r.sym)<<8|uint32(r.typ))
			data = append(data, e...)
		}
		hdrs = append(hdrs, hdr{name: shstr.add(".rel" + b.secs[target-1].Name), typ: SHT_REL, off: put(data, 4),
			size: uint32(len(data)), link: uint32(symIdx), info: uint32(target), align: 4, entsize: RelSize})
	}
	shstrIdx := len(hdrs)
	nameOff := shstr.add(".shstrtab")
	hdrs = append(hdrs, hdr{name: nameOff, typ: SHT_STRTAB, align: 1})
	hdrs[shstrIdx].off, hdrs[shstrIdx].size = put(shstr.b, 1), uint32(len(shstr.b))
	shoff := put(nil, 4)
	for _, h := range hdrs {
		e := make([]byte, ShdrSize)
		for i, v := range []uint32{h.name, h.typ, h.flags, 0, h.off, h.size, h.link, h.info, h.align, h.entsize} {
			binary.LittleEndian.PutUint32(e[4*i:], v)
		}
		out = append(out, e...)
	}
	class, enc, typ, mach := b.Class, b.Encoding, b.Type, b.Machine
	if class == 0 {
		class = 1
	}
	if enc == 0 {
		enc = 1
	}
	if typ == 0 {
		typ = ET_REL
	}
	if mach == 0 {
		mach = EM_386
	}
	copy(out, []byte{0x7f, 'E', 'L', 'F', class, enc, 1})
	binary.LittleEndian.PutUint16(out[16:], typ)
	binary.LittleEndian.PutUint16(out[18:], mach)
	binary.LittleEndian.PutUint32(out[20:], 1)
	binary.LittleEndian.PutUint32(out[32:], shoff)
	binary.LittleEndian.PutUint16(out[40:], EhdrSize)
	binary.LittleEndian.PutUint16(out[46:], ShdrSize)
	binary.LittleEndian.PutUint16(out[48:], uint16(len(hdrs)))
	binary.LittleEndian.PutUint16(out[50:], uint16(shstrIdx))
	return out
}
