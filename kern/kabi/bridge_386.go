package kabi

import (
	"encoding/binary"
	"fmt"

	"gojos/kern/kabi/cproto"
)

// The Go→C bridge for patched functions. A Go function patched to a C
// function jumps to a stub in its own read-only executable page:
//
//	PUSHL $descriptor; JMP cBridge
//
// followed, in the same page, by the descriptor: the C function and, per
// signature, which words of the Go argument frame become the cdecl
// arguments and where the C result goes (a cproto.Bridge, encoded below).
// cBridge (kabi_386.s) interprets it with interrupts off under the guard.
// The page is read-only, so C code cannot change how the bridge moves
// arguments; kern/kpatch never unmaps it (a thread preempted between the
// patched function's entry and cBridge's CLI may still be about to run it).

// Descriptor layout, in bytes from its start; go_asm.h gives the assembly
// these constants.
const (
	descFn     = 0  // the C function
	descN      = 4  // number of argument words
	descResult = 8  // the result's store: op | offset<<8
	descLoads  = 12 // the argument words' loads, first argument first: op | offset<<8
)

// The load and store operations as the assembly tests them.
const (
	loadWord   = int(cproto.LoadWord)
	loadS8     = int(cproto.LoadS8)
	loadU8     = int(cproto.LoadU8)
	loadS16    = int(cproto.LoadS16)
	loadU16    = int(cproto.LoadU16)
	storeNone  = int(cproto.StoreNone)
	store8     = int(cproto.Store8)
	store16    = int(cproto.Store16)
	store32    = int(cproto.Store32)
	store64    = int(cproto.Store64)
	storeBool  = int(cproto.StoreBool)
	stubCode   = 10 // PUSHL imm32; JMP rel32
	stubDesc   = 16 // the descriptor's offset in the stub page
	maxOffset  = 1 << 24
	StubMaxLen = stubDesc + descLoads + 4*MaxArgWords
)

// BridgeStub returns the bytes of a stub page placed at addr that makes a
// Go function, patched to jump to addr, run the C function cfunc with the
// arguments and result moved as b says.
func BridgeStub(addr, cfunc uint32, b *cproto.Bridge) ([]byte, error) {
	if len(b.Loads) > MaxArgWords {
		return nil, fmt.Errorf("%d argument words, at most %d", len(b.Loads), MaxArgWords)
	}
	if err := moduleStack(); err != nil { // the stub's bridge runs C on it
		return nil, err
	}
	out := make([]byte, stubDesc+descLoads+4*len(b.Loads))
	desc := addr + stubDesc
	out[0] = 0x68 // PUSHL $desc
	binary.LittleEndian.PutUint32(out[1:], desc)
	out[5] = 0xE9 // JMP rel32 to the bridge
	binary.LittleEndian.PutUint32(out[6:], uint32(cBridgeAddr())-(addr+stubCode))
	for i := stubCode; i < stubDesc; i++ {
		out[i] = 0xCC // INT3 between the code and the descriptor
	}
	d := out[stubDesc:]
	if b.Result.Off >= maxOffset {
		return nil, fmt.Errorf("result at offset %d", b.Result.Off)
	}
	binary.LittleEndian.PutUint32(d[descFn:], cfunc)
	binary.LittleEndian.PutUint32(d[descN:], uint32(len(b.Loads)))
	binary.LittleEndian.PutUint32(d[descResult:], uint32(b.Result.Op)|b.Result.Off<<8)
	for i, l := range b.Loads {
		if l.Off >= maxOffset {
			return nil, fmt.Errorf("argument word at offset %d", l.Off)
		}
		binary.LittleEndian.PutUint32(d[descLoads+4*i:], uint32(l.Op)|l.Off<<8)
	}
	return out, nil
}
