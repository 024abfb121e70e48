package elfbuild

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// The runtime's function table in .gopclntab (Go 1.20 and later: the
// runtime's pcHeader, then functab pairs {entryOff, funcOff} and a _func
// record per function). Read here for _func.args, the argument frame size
// the compiler (or the TEXT directive of an assembly function) declared, and
// _func.flag.
const (
	pclnMagic   = 0xfffffff1 // internal/abi.Go120PCLnTabMagic
	funcFlagAsm = 1 << 2     // internal/abi.FuncFlagAsm
	funcRecord  = 44         // the fixed part of a _func
)

// pcFunc is what the pclntab says about one function.
type pcFunc struct {
	name string
	args int32
	flag uint8
}

// readPCLN reads the pclntab's functions, keyed by entry address. text is
// the address entry offsets count from (the runtime.text symbol).
func readPCLN(data []byte, text uint32, bo binary.ByteOrder) (map[uint32]pcFunc, error) {
	if len(data) < 8 {
		return nil, fmt.Errorf(".gopclntab: %d bytes", len(data))
	}
	if m := bo.Uint32(data); m != pclnMagic {
		return nil, fmt.Errorf(".gopclntab: magic %#x, want %#x (Go 1.20 or later)", m, uint32(pclnMagic))
	}
	ptr := int(data[7])
	if ptr != 4 && ptr != 8 {
		return nil, fmt.Errorf(".gopclntab: pointer size %d", ptr)
	}
	if len(data) < 8+8*ptr {
		return nil, fmt.Errorf(".gopclntab: short header")
	}
	word := func(i int) uint64 {
		if ptr == 4 {
			return uint64(bo.Uint32(data[8+4*i:]))
		}
		return bo.Uint64(data[8+8*i:])
	}
	nfunc, nameOff, functabOff := word(0), word(3), word(7)
	size := uint64(len(data))
	if nameOff > size || functabOff > size || nfunc > (size-functabOff)/8 {
		return nil, fmt.Errorf(".gopclntab: header out of range (nfunc %d, names at %#x, functab at %#x)", nfunc, nameOff, functabOff)
	}
	names, functab := data[nameOff:], data[functabOff:]
	out := make(map[uint32]pcFunc, nfunc)
	for i := uint64(0); i < nfunc; i++ {
		entryOff, funcOff := bo.Uint32(functab[8*i:]), uint64(bo.Uint32(functab[8*i+4:]))
		if funcOff+funcRecord > uint64(len(functab)) {
			return nil, fmt.Errorf(".gopclntab: function %d: record at %#x out of range", i, funcOff)
		}
		rec := functab[funcOff : funcOff+funcRecord]
		if bo.Uint32(rec) != entryOff {
			return nil, fmt.Errorf(".gopclntab: function %d: entry %#x, functab says %#x", i, bo.Uint32(rec), entryOff)
		}
		no := uint64(bo.Uint32(rec[4:]))
		if no >= uint64(len(names)) {
			return nil, fmt.Errorf(".gopclntab: function %d: name offset %#x out of range", i, no)
		}
		n := names[no:]
		if j := bytes.IndexByte(n, 0); j >= 0 {
			n = n[:j]
		}
		out[text+entryOff] = pcFunc{name: string(n), args: int32(bo.Uint32(rec[8:])), flag: rec[41]}
	}
	return out, nil
}
