package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"

	"gojos/kern/module/elfrel"
)

var le = binary.LittleEndian

// base is the valid module the mutants derive from, parsed once.
type base struct {
	data    []byte
	obj     *elfrel.Object
	textLo  uint32 // file range of the executable sections' contents
	textHi  uint32
	modinfo int // index of .modinfo, or -1
	nameAt  int // file offset of the name= value in .modinfo, or -1
	nameLen int
	rels    []elfrel.Rel
}

func newBase(data []byte) (*base, error) {
	o, err := elfrel.Parse(data)
	if err != nil {
		return nil, err
	}
	b := &base{data: data, obj: o, modinfo: -1, nameAt: -1}
	b.textLo = ^uint32(0)
	for i, s := range o.Sections {
		if s.Flags&elfrel.SHF_EXECINSTR != 0 && s.Type == elfrel.SHT_PROGBITS && s.Size > 0 {
			b.textLo, b.textHi = min(b.textLo, s.Offset), max(b.textHi, s.Offset+s.Size)
		}
		if s.Name == ".modinfo" && s.Type == elfrel.SHT_PROGBITS {
			b.modinfo = i
			c := o.Contents(i)
			if at := bytes.Index(c, []byte("name=")); at >= 0 && (at == 0 || c[at-1] == 0) {
				end := bytes.IndexByte(c[at:], 0)
				if end > 5 {
					b.nameAt, b.nameLen = int(s.Offset)+at+5, end-5
				}
			}
		}
		if s.Type == elfrel.SHT_REL {
			rs, err := o.Rels(i)
			if err != nil {
				return nil, err
			}
			b.rels = append(b.rels, rs...)
		}
	}
	if b.textLo > b.textHi {
		b.textLo = 0
	}
	return b, nil
}

// renamed returns the base with its module name replaced by one of the same length
// unique to mutant i (its first letter, then i in base 36), so that a mutant that
// loads and cannot be unloaded does not make every later one "already loaded".
func (b *base) renamed(i int) []byte {
	d := append([]byte(nil), b.data...)
	if b.nameAt < 0 || b.nameLen < 2 {
		return d
	}
	id := big36(i)
	for len(id) < b.nameLen-1 {
		id = "0" + id
	}
	copy(d[b.nameAt+1:], id[len(id)-(b.nameLen-1):])
	return d
}

func big36(i int) string {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	if i == 0 {
		return "0"
	}
	var s []byte
	for ; i > 0; i /= 36 {
		s = append([]byte{digits[i%36]}, s...)
	}
	return string(s)
}

// mutation is one edit of the module's bytes; it returns a short description.
type mutation func(m *mutator) string

type mutator struct {
	b      *base
	d      []byte
	rng    *rand.Rand
	noText bool
}

// kind is a kind of mutation, with its weight.
type kind struct {
	name   string
	weight int
	f      mutation
}

// kinds of mutations (set in init: multi picks among them).
var kinds []kind

func init() { kinds = allKinds }

var allKinds = []kind{
	{"flip", 18, (*mutator).flip},
	{"ehdr", 5, (*mutator).ehdr},
	{"shdr", 24, (*mutator).shdr},
	{"shdrcopy", 3, (*mutator).shdrCopy},
	{"sym", 15, (*mutator).sym},
	{"rel", 12, (*mutator).rel},
	{"trunc", 5, (*mutator).trunc},
	{"modinfo", 8, (*mutator).modinfo},
	{"text", 6, (*mutator).text},
	{"multi", 4, (*mutator).multi},
}

func (m *mutator) pick() (string, mutation) {
	total := 0
	for _, k := range kinds {
		if !(m.noText && k.name == "text") {
			total += k.weight
		}
	}
	n := m.rng.IntN(total)
	for _, k := range kinds {
		if m.noText && k.name == "text" {
			continue
		}
		if n < k.weight {
			return k.name, k.f
		}
		n -= k.weight
	}
	panic("unreachable")
}

// interesting returns a replacement for a 32-bit field holding v.
func (m *mutator) interesting(v uint32) uint32 {
	r := m.rng
	switch r.IntN(8) {
	case 0, 1:
		return v + uint32(r.IntN(8)) + 1
	case 2, 3:
		return v - uint32(r.IntN(8)) - 1
	case 4:
		return []uint32{0, 1, 2, 4, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0xffff, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff}[r.IntN(14)]
	case 5:
		return uint32(len(m.d)) + uint32(r.IntN(3)) - 1
	case 6:
		return v ^ 1<<r.IntN(32)
	default:
		return r.Uint32() % uint32(2*len(m.d)+1)
	}
}

func (m *mutator) flip() string {
	n := 1 + m.rng.IntN(4)
	desc := "flip"
	for range n {
		at := m.rng.IntN(len(m.d))
		x := byte(1 << m.rng.IntN(8))
		if m.rng.IntN(3) == 0 {
			x = byte(1 + m.rng.IntN(255))
		}
		m.d[at] ^= x
		desc += fmt.Sprintf(" %#x^%#02x", at, x)
	}
	return desc
}

// ELF header fields: offset and width.
var ehdrFields = []struct {
	name   string
	off, w int
}{
	{"EI_CLASS", 4, 1}, {"EI_DATA", 5, 1}, {"EI_VERSION", 6, 1}, {"e_type", 16, 2}, {"e_machine", 18, 2},
	{"e_shoff", 32, 4}, {"e_shentsize", 46, 2}, {"e_shnum", 48, 2}, {"e_shstrndx", 50, 2},
}

func (m *mutator) put(off, w int, v uint32) {
	switch w {
	case 1:
		m.d[off] = byte(v)
	case 2:
		le.PutUint16(m.d[off:], uint16(v))
	default:
		le.PutUint32(m.d[off:], v)
	}
}

func (m *mutator) get(off, w int) uint32 {
	switch w {
	case 1:
		return uint32(m.d[off])
	case 2:
		return uint32(le.Uint16(m.d[off:]))
	}
	return le.Uint32(m.d[off:])
}

func (m *mutator) ehdr() string {
	f := ehdrFields[m.rng.IntN(len(ehdrFields))]
	old := m.get(f.off, f.w)
	v := m.interesting(old)
	if f.name == "e_shnum" || f.name == "e_shstrndx" {
		v = uint32(m.rng.IntN(len(m.b.obj.Sections) + 3))
	}
	m.put(f.off, f.w, v)
	return fmt.Sprintf("%s %#x->%#x", f.name, old, m.get(f.off, f.w))
}

// Section header fields, by offset in the header, with weights favouring the
// ones the loader must check.
var shdrFields = []struct {
	name   string
	off    int
	weight int
}{
	{"sh_name", 0, 2}, {"sh_type", 4, 4}, {"sh_flags", 8, 4}, {"sh_offset", 16, 4}, {"sh_size", 20, 4},
	{"sh_link", 24, 4}, {"sh_info", 28, 5}, {"sh_addralign", 32, 2}, {"sh_entsize", 36, 2},
}

func (m *mutator) shdr() string {
	secs := m.b.obj.Sections
	i := m.rng.IntN(len(secs))
	total := 0
	for _, f := range shdrFields {
		total += f.weight
	}
	n := m.rng.IntN(total)
	f := shdrFields[0]
	for _, g := range shdrFields {
		if n < g.weight {
			f = g
			break
		}
		n -= g.weight
	}
	at := secs[i].HdrOff + f.off
	old := le.Uint32(m.d[at:])
	var v uint32
	r := m.rng
	switch f.name {
	case "sh_type":
		v = []uint32{0, 1, 2, 3, 4, 7, 8, 9, 11, 14, 17, 18, 0x6ffffff6, r.Uint32()}[r.IntN(14)]
	case "sh_flags":
		v = old ^ []uint32{elfrel.SHF_WRITE, elfrel.SHF_ALLOC, elfrel.SHF_EXECINSTR, 0x10, 0x20, 0x40, 0x200, elfrel.SHF_TLS, 0x80000000}[r.IntN(9)]
	case "sh_link", "sh_info":
		if r.IntN(3) == 0 {
			v = m.interesting(old)
		} else {
			v = uint32(r.IntN(len(secs) + 2))
		}
	case "sh_addralign":
		v = []uint32{0, 1, 2, 3, 4, 8, 16, 4096, 8192, 1 << 31, 6}[r.IntN(11)]
	case "sh_entsize":
		v = []uint32{0, 1, 4, 8, 12, 16, 24, r.Uint32()}[r.IntN(8)]
	default:
		v = m.interesting(old)
	}
	le.PutUint32(m.d[at:], v)
	return fmt.Sprintf("shdr %d(%s).%s %#x->%#x", i, secs[i].Name, f.name, old, v)
}

func (m *mutator) shdrCopy() string {
	secs := m.b.obj.Sections
	from, to := m.rng.IntN(len(secs)), m.rng.IntN(len(secs))
	copy(m.d[secs[to].HdrOff:secs[to].HdrOff+elfrel.ShdrSize], m.b.data[secs[from].HdrOff:])
	return fmt.Sprintf("shdr %d(%s) := shdr %d(%s)", to, secs[to].Name, from, secs[from].Name)
}

func (m *mutator) sym() string {
	syms := m.b.obj.Symbols
	s := syms[m.rng.IntN(len(syms))]
	r := m.rng
	switch r.IntN(6) {
	case 0:
		old := s.NameOff
		s.NameOff = m.interesting(old) % 256
		if r.IntN(2) == 0 {
			s.NameOff = old + uint32(r.IntN(5)) - 2
		}
		elfrel.PutSymbol(m.d, s)
		return fmt.Sprintf("sym %d(%s).st_name %#x->%#x", s.Index, s.Name, old, s.NameOff)
	case 1:
		old := s.Value
		s.Value = m.interesting(old)
		elfrel.PutSymbol(m.d, s)
		return fmt.Sprintf("sym %d(%s).st_value %#x->%#x", s.Index, s.Name, old, s.Value)
	case 2:
		old := s.Size
		s.Size = m.interesting(old)
		elfrel.PutSymbol(m.d, s)
		return fmt.Sprintf("sym %d(%s).st_size %#x->%#x", s.Index, s.Name, old, s.Size)
	case 3:
		old := s.Info
		if r.IntN(2) == 0 {
			s.Info = byte(r.IntN(4))<<4 | s.Info&0xf // binding
		} else {
			s.Info = s.Info&0xf0 | []byte{0, 1, 2, 3, 4, 5, 6, 10, 13}[r.IntN(9)]
		}
		if r.IntN(8) == 0 {
			s.Info = byte(r.Uint32())
		}
		elfrel.PutSymbol(m.d, s)
		return fmt.Sprintf("sym %d(%s).st_info %#x->%#x", s.Index, s.Name, old, s.Info)
	case 4:
		old := s.Shndx
		s.Shndx = []uint16{0, uint16(r.IntN(len(m.b.obj.Sections) + 2)), uint16(r.IntN(len(m.b.obj.Sections))),
			elfrel.SHN_ABS, elfrel.SHN_COMMON, 0xff10, elfrel.SHN_XINDEX}[r.IntN(7)]
		elfrel.PutSymbol(m.d, s)
		return fmt.Sprintf("sym %d(%s).st_shndx %d->%d", s.Index, s.Name, old, s.Shndx)
	default:
		old := s.Other
		s.Other = byte(r.IntN(256))
		elfrel.PutSymbol(m.d, s)
		return fmt.Sprintf("sym %d(%s).st_other %#x->%#x", s.Index, s.Name, old, s.Other)
	}
}

func (m *mutator) rel() string {
	if len(m.b.rels) == 0 {
		return m.flip()
	}
	rl := m.b.rels[m.rng.IntN(len(m.b.rels))]
	old := rl
	r := m.rng
	switch r.IntN(3) {
	case 0:
		if r.IntN(2) == 0 {
			rl.Offset += uint32(r.IntN(9)) - 4
		} else {
			rl.Offset = m.interesting(rl.Offset)
		}
	case 1:
		n := len(m.b.obj.Symbols)
		rl.Sym = []uint32{0, uint32(r.IntN(n)), uint32(r.IntN(n)), uint32(n), uint32(r.IntN(1 << 24))}[r.IntN(5)]
	default:
		rl.Type = []uint8{0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 20, 21, 22, 43, uint8(r.IntN(256))}[r.IntN(15)]
	}
	elfrel.PutRel(m.d, rl)
	return fmt.Sprintf("rel %s[%d] off %#x sym %d type %d -> off %#x sym %d type %d",
		m.b.obj.Sections[rl.Section].Name, rl.Index, old.Offset, old.Sym, old.Type, rl.Offset, rl.Sym, rl.Type)
}

func (m *mutator) trunc() string {
	var cuts []int
	for _, s := range m.b.obj.Sections {
		cuts = append(cuts, s.HdrOff, int(s.Offset), int(s.Offset+s.Size))
	}
	n := m.rng.IntN(len(m.d))
	if m.rng.IntN(2) == 0 {
		n = cuts[m.rng.IntN(len(cuts))] + m.rng.IntN(3) - 1
	}
	n = max(0, min(n, len(m.d)-1))
	m.d = m.d[:n]
	return fmt.Sprintf("truncate to %d bytes", n)
}

func (m *mutator) modinfo() string {
	if m.b.modinfo < 0 {
		return m.flip()
	}
	s := m.b.obj.Sections[m.b.modinfo]
	r := m.rng
	c := m.d[s.Offset : s.Offset+s.Size]
	switch r.IntN(8) {
	case 0:
		s.Size = 0
		elfrel.PutSection(m.d, s)
		return ".modinfo emptied (sh_size 0)"
	case 1:
		s.Type = elfrel.SHT_NOBITS
		elfrel.PutSection(m.d, s)
		return ".modinfo made SHT_NOBITS"
	case 2:
		s.Size -= uint32(1 + r.IntN(int(min(s.Size, 6))))
		elfrel.PutSection(m.d, s)
		return fmt.Sprintf(".modinfo cut to %d bytes (unterminated)", s.Size)
	case 3:
		if m.b.nameAt >= 0 {
			at := m.b.nameAt + r.IntN(m.b.nameLen)
			m.d[at] = []byte{' ', 0xff, '=', '/', '.', 0}[r.IntN(6)]
			return fmt.Sprintf(".modinfo name byte %#x := %#02x", at, m.d[at])
		}
	case 4:
		if m.b.nameAt >= 0 {
			m.d[m.b.nameAt-5+r.IntN(4)] ^= 0x20
			return ".modinfo name= key changed"
		}
	case 5:
		if m.b.nameAt >= 0 {
			clear(m.d[m.b.nameAt-5 : m.b.nameAt+m.b.nameLen])
			return ".modinfo name= entry zeroed (no name)"
		}
	case 6:
		for i := range c {
			if c[i] == 0 {
				c[i] = 'x'
				return fmt.Sprintf(".modinfo NUL at %d := 'x'", i)
			}
		}
	}
	at := r.IntN(len(c))
	c[at] = byte(r.IntN(256))
	return fmt.Sprintf(".modinfo byte %d := %#02x", at, c[at])
}

func (m *mutator) text() string {
	if m.b.textHi <= m.b.textLo {
		return m.flip()
	}
	n := 1 + m.rng.IntN(3)
	desc := "text"
	for range n {
		at := int(m.b.textLo) + m.rng.IntN(int(m.b.textHi-m.b.textLo))
		m.d[at] = byte(m.rng.IntN(256))
		desc += fmt.Sprintf(" %#x:=%#02x", at, m.d[at])
	}
	return desc
}

func (m *mutator) multi() string {
	n := 2 + m.rng.IntN(2)
	desc := ""
	for i := range n {
		name, f := m.pick()
		for name == "multi" || name == "trunc" {
			name, f = m.pick()
		}
		if i > 0 {
			desc += "; "
		}
		desc += f(m)
	}
	return desc
}

// touchesText reports whether d differs from the base inside the executable
// sections' contents (a truncation changes no byte).
func (b *base) touchesText(d []byte) bool {
	lo, hi := int(b.textLo), min(int(b.textHi), len(d))
	return lo < hi && !bytes.Equal(d[lo:hi], b.data[lo:hi])
}
