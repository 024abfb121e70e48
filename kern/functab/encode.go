package functab

import (
	"encoding/binary"
	"fmt"
	"sort"
)

// The encoding (version 3). u is an unsigned LEB128 varint and s a zigzag
// varint, as encoding/binary writes them; u32 and u16 are little-endian
// fixed-width integers. A string is a reference into the string heap: its
// offset and length; opt is a u that is 0 for none or offset+1, followed by
// the length (u) when not none.
//
//	"GJFT" version:byte
//	buildid:u-length+bytes imagehash:[32]byte
//	heap:u-length+bytes                          the strings, UTF-8, each once
//	ntypes:u  { name:u-offset u-length class:byte size:u align:byte }
//	nfuncs:u
//	index:    nfuncs × { entry:u32 size:u32 name:u32-offset u32-length flags:u16 detail:u32 }
//	byname:   nfuncs × u32                        function indices, names ascending
//	details:u-length+bytes, at each function's detail offset:
//	          { file:opt [pcargs:s]               if FlagPCArgs
//	            [nparams:u { name:opt type:u }    if FlagSig
//	             nresults:u { name:opt type:u }]
//	            nsites:u { callerdelta:u count:u } }
//	checksum:4 bytes, little endian, of all that precedes (checksum.go)
//
// Functions are sorted by entry and never overlap. callerdelta is the first
// caller's index, then the distance from the previous one (callers are
// sorted and distinct). Parameter offsets, ArgsSize and Hash are derived,
// not stored.
//
// The fixed-width index and the name order are what make a decoded table
// usable in place: Decode checks them and the string heap, and a function's
// details are decoded (and checked) when it is first asked for. A table
// holds thousands of functions and a live patch needs a handful; decoding
// all of them at boot was tens of milliseconds under emulation.
const (
	magic   = "GJFT"
	version = 3 // 2: varint records throughout, CRC-32; 3: fixed-width index, name order, lazy details, checksum.go
	recSize = 22
)

// Encode writes t in the binary form Decode reads. Its functions must be
// sorted by entry without overlapping, and their names distinct and not
// empty; a decoded table's functions are decoded for it, so an error may
// also be one of theirs.
func Encode(t *Table) ([]byte, error) {
	n := t.Len()
	funcs := make([]*Func, n)
	for i := range funcs {
		f, err := t.Func(i)
		if err != nil {
			return nil, err
		}
		funcs[i] = f
	}
	e := encoder{strOff: map[string]int{}, typeIndex: map[Type]int{}}
	for _, f := range funcs {
		e.str(f.Name)
		e.str(f.File)
		for _, ps := range [][]Param{f.Params, f.Results} {
			for _, p := range ps {
				e.str(p.Name)
				e.typ(p.Type)
			}
		}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return funcs[order[a]].Name < funcs[order[b]].Name })
	for k := 1; k < n; k++ {
		if funcs[order[k]].Name == funcs[order[k-1]].Name {
			return nil, fmt.Errorf("function table: function %s appears twice", funcs[order[k]].Name)
		}
	}
	var details []byte
	detailOff := make([]int, n)
	end := uint64(0)
	for i, f := range funcs {
		switch {
		case f.Name == "":
			return nil, fmt.Errorf("function table: function %d has no name", i)
		case uint64(f.Entry) < end:
			return nil, fmt.Errorf("function table: %s at %#x overlaps or precedes the function before it", f.Name, f.Entry)
		}
		end = uint64(f.Entry) + uint64(f.Size)
		detailOff[i] = len(details)
		details = e.appendDetail(details, f)
	}

	b := append([]byte(magic), version)
	b = appendBytes(b, []byte(t.BuildID))
	b = append(b, t.ImageHash[:]...)
	b = appendBytes(b, e.heap)
	b = binary.AppendUvarint(b, uint64(len(e.types)))
	for _, ty := range e.types {
		b = binary.AppendUvarint(b, uint64(e.strOff[ty.Name]))
		b = binary.AppendUvarint(b, uint64(len(ty.Name)))
		b = append(b, byte(ty.Class))
		b = binary.AppendUvarint(b, uint64(ty.Size))
		b = append(b, ty.Align)
	}
	b = binary.AppendUvarint(b, uint64(n))
	le := binary.LittleEndian
	for i, f := range funcs {
		b = le.AppendUint32(b, f.Entry)
		b = le.AppendUint32(b, f.Size)
		b = le.AppendUint32(b, uint32(e.strOff[f.Name]))
		b = le.AppendUint32(b, uint32(len(f.Name)))
		b = le.AppendUint16(b, uint16(f.Flags))
		b = le.AppendUint32(b, uint32(detailOff[i]))
	}
	for _, i := range order {
		b = le.AppendUint32(b, uint32(i))
	}
	b = appendBytes(b, details)
	return le.AppendUint32(b, checksum(b)), nil
}

type encoder struct {
	heap      []byte
	strOff    map[string]int
	types     []Type
	typeIndex map[Type]int
}

func (e *encoder) str(s string) {
	if _, ok := e.strOff[s]; !ok && s != "" {
		e.strOff[s] = len(e.heap)
		e.heap = append(e.heap, s...)
	}
}

func (e *encoder) typ(t Type) {
	e.str(t.Name)
	if _, ok := e.typeIndex[t]; !ok {
		e.typeIndex[t] = len(e.types)
		e.types = append(e.types, t)
	}
}

// appendOpt appends an optional string: 0, or its offset+1 and length.
func (e *encoder) appendOpt(b []byte, s string) []byte {
	if s == "" {
		return append(b, 0)
	}
	b = binary.AppendUvarint(b, uint64(e.strOff[s])+1)
	return binary.AppendUvarint(b, uint64(len(s)))
}

func (e *encoder) appendDetail(b []byte, f *Func) []byte {
	b = e.appendOpt(b, f.File)
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
	return b
}

func (e *encoder) appendParams(b []byte, ps []Param) []byte {
	b = binary.AppendUvarint(b, uint64(len(ps)))
	for _, p := range ps {
		b = e.appendOpt(b, p.Name)
		b = binary.AppendUvarint(b, uint64(e.typeIndex[p.Type]))
	}
	return b
}

func appendBytes(b, s []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}
