package elfrel

import "encoding/binary"

// LivepatchSection holds a livepatch module's patch table (the
// gojos_livepatch rule adds it; kern/kpatch/livepatch has the format). Like
// .modinfo it is read from the file, never loaded: at most one,
// SHT_PROGBITS, not empty.
const LivepatchSection = ".gojos.livepatch"

func readLivepatch(o *Object) ([]byte, error) {
	idx := -1
	for i := range o.Sections {
		if o.Sections[i].Name != LivepatchSection || o.Sections[i].Type == SHT_NULL {
			continue
		}
		if idx >= 0 {
			return nil, errorf(ErrMalformed, "%s: two sections (%d and %d)", LivepatchSection, idx, i)
		}
		idx = i
	}
	if idx < 0 {
		return nil, nil
	}
	s := &o.Sections[idx]
	if s.Type != SHT_PROGBITS || s.Flags&SHF_ALLOC != 0 {
		return nil, errorf(ErrMalformed, "%s: a %s section with flags %#x, want SHT_PROGBITS, not allocated", LivepatchSection, SectionTypeName(s.Type), s.Flags)
	}
	data := o.contents(s)
	if len(data) == 0 {
		return nil, errorf(ErrMalformed, "%s is empty", LivepatchSection)
	}
	return append([]byte(nil), data...), nil
}

// AppendSection returns a copy of the relocatable object data with one more
// section, name, of type SHT_PROGBITS, not allocated, holding contents: the
// contents and a new section name table go after the existing bytes, then
// a new section header table with the added header last. Section indices,
// and so every sh_link and sh_info, stay as they were. The object must
// parse, and have no section of that name yet.
func AppendSection(data []byte, name string, contents []byte) ([]byte, error) {
	o, err := Parse(data)
	if err != nil {
		return nil, err
	}
	if _, dup := o.SectionByName(name); dup {
		return nil, errorf(ErrMalformed, "the object already has a section %s", name)
	}
	le := binary.LittleEndian
	shstrndx := int(le.Uint16(data[50:]))
	if shstrndx <= 0 || shstrndx >= len(o.Sections) {
		return nil, errorf(ErrMalformed, "no section name table")
	}
	align := func(b []byte, n int) []byte {
		for len(b)%n != 0 {
			b = append(b, 0)
		}
		return b
	}
	out := align(append([]byte(nil), data...), 4)
	contentsOff := len(out)
	out = append(out, contents...)
	strs := append(append([]byte(nil), o.contents(&o.Sections[shstrndx])...), 0)
	nameOff := len(strs)
	strs = append(append(strs, name...), 0)
	strOff := len(out)
	out = align(append(out, strs...), 4)
	shoff := len(out)
	for i := range o.Sections {
		h := make([]byte, ShdrSize)
		copy(h, data[o.Sections[i].HdrOff:o.Sections[i].HdrOff+ShdrSize])
		if i == shstrndx {
			le.PutUint32(h[16:], uint32(strOff))
			le.PutUint32(h[20:], uint32(len(strs)))
		}
		out = append(out, h...)
	}
	h := make([]byte, ShdrSize)
	le.PutUint32(h[0:], uint32(nameOff))
	le.PutUint32(h[4:], SHT_PROGBITS)
	le.PutUint32(h[16:], uint32(contentsOff))
	le.PutUint32(h[20:], uint32(len(contents)))
	le.PutUint32(h[32:], 1)
	out = append(out, h...)
	le.PutUint32(out[32:], uint32(shoff))
	le.PutUint16(out[48:], uint16(len(o.Sections)+1))
	if _, err := Parse(out); err != nil {
		return nil, err
	}
	return out, nil
}
