package functab

import (
	"encoding/binary"
	"hash/crc32"
)

// The encoding (version 1). Integers are unsigned LEB128 varints (u) or
// zigzag varints (s) as encoding/binary writes them; str is a u index into
// the string table, opt a u that is 0 for none or index+1.
//
//	"GJFT" version:byte
//	buildid:u-length+bytes imagehash:[32]byte
//	nstrings:u { length:u bytes }               UTF-8, distinct
//	ntypes:u   { name:str class:byte size:u align:byte }
//	nfuncs:u   { name:str file:opt gap:u size:u flags:u
//	             [pcargs:s]                      if FlagPCArgs
//	             [nparams:u { name:opt type:u }  if FlagSig
//	              nresults:u { name:opt type:u }]
//	             nsites:u { callerdelta:u count:u } }
//	crc32:4 bytes, little endian, IEEE, of all that precedes
//
// gap is the first function's entry, then the distance from the end of the
// previous function (so functions are sorted and never overlap); callerdelta
// is the first caller's index, then the distance from the previous one
// (callers are sorted and distinct). Parameter offsets, ArgsSize and Hash
// are derived, not stored.
const (
	magic   = "GJFT"
	version = 2 // 2: the declaring file of each function, ClassUint
)

// Encode writes t in the binary form Decode reads. t must be valid (as Build
// and Decode make tables).
func Encode(t *Table) []byte {
	e := encoder{strIndex: map[string]int{}, typeIndex: map[Type]int{}}
	for i := range t.Funcs {
		f := &t.Funcs[i]
		e.str(f.Name)
		if f.File != "" {
			e.str(f.File)
		}
		for _, p := range append(f.Params[:len(f.Params):len(f.Params)], f.Results...) {
			if p.Name != "" {
				e.str(p.Name)
			}
			e.typ(p.Type)
		}
	}
	b := append([]byte(magic), version)
	b = appendString(b, t.BuildID)
	b = append(b, t.ImageHash[:]...)
	b = binary.AppendUvarint(b, uint64(len(e.strs)))
	for _, s := range e.strs {
		b = appendString(b, s)
	}
	b = binary.AppendUvarint(b, uint64(len(e.types)))
	for _, ty := range e.types {
		b = binary.AppendUvarint(b, uint64(e.strIndex[ty.Name]))
		b = append(b, byte(ty.Class))
		b = binary.AppendUvarint(b, uint64(ty.Size))
		b = append(b, ty.Align)
	}
	b = binary.AppendUvarint(b, uint64(len(t.Funcs)))
	end := uint64(0)
	for i := range t.Funcs {
		f := &t.Funcs[i]
		b = binary.AppendUvarint(b, uint64(e.strIndex[f.Name]))
		file := 0
		if f.File != "" {
			file = e.strIndex[f.File] + 1
		}
		b = binary.AppendUvarint(b, uint64(file))
		b = binary.AppendUvarint(b, uint64(f.Entry)-end)
		end = uint64(f.Entry) + uint64(f.Size)
		b = binary.AppendUvarint(b, uint64(f.Size))
		b = binary.AppendUvarint(b, uint64(f.Flags))
		if f.Flags&FlagPCArgs != 0 {
			b = binary.AppendVarint(b, int64(f.PCArgs))
		}
		if f.Flags&FlagSig != 0 {
			b = e.appendParams(b, f.Params)
			b = e.appendParams(b, f.Results)
		}
		b = binary.AppendUvarint(b, uint64(len(f.Inlined)))
		prev := 0
		for _, s := range f.Inlined {
			b = binary.AppendUvarint(b, uint64(s.Caller-prev))
			b = binary.AppendUvarint(b, uint64(s.Count))
			prev = s.Caller
		}
	}
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

type encoder struct {
	strs      []string
	strIndex  map[string]int
	types     []Type
	typeIndex map[Type]int
}

func (e *encoder) str(s string) {
	if _, ok := e.strIndex[s]; !ok {
		e.strIndex[s] = len(e.strs)
		e.strs = append(e.strs, s)
	}
}

func (e *encoder) typ(t Type) {
	e.str(t.Name)
	if _, ok := e.typeIndex[t]; !ok {
		e.typeIndex[t] = len(e.types)
		e.types = append(e.types, t)
	}
}

func (e *encoder) appendParams(b []byte, ps []Param) []byte {
	b = binary.AppendUvarint(b, uint64(len(ps)))
	for _, p := range ps {
		name := 0
		if p.Name != "" {
			name = e.strIndex[p.Name] + 1
		}
		b = binary.AppendUvarint(b, uint64(name))
		b = binary.AppendUvarint(b, uint64(e.typeIndex[p.Type]))
	}
	return b
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}
