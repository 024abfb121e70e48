package kabi

import (
	"encoding/binary"
	"fmt"

	"gojos/kern/kabi/cproto"
)

// Calling the original: a C replacement calls the Go function it replaced
// (KPATCH_ORIGINAL in gojos/module.h) through an original stub, the
// mirror of the Go→C stub (bridge_386.go), in its own read-only executable
// page:
//
//	PUSHL $descriptor; JMP cOrig
//
// then the descriptor — the trampoline (the original's overwritten
// instructions moved, then a jump back: kpatch/plan.Trampoline), which
// cdecl argument word goes where in the Go argument frame, where the Go
// result is, and the frame's size — and the trampoline itself.
//
// cOrig (original_386.s) runs on the module stack with interrupts off,
// inside a patched call (cBridge). It saves C's callee-saved registers and
// the guard in a save area on the module stack, lowers the top of the
// module stack below it (other C calls run beneath while this one waits),
// builds the original's argument frame on the goroutine's stack where the
// bridge's own words were — so that the frame of cOrigGo, which calls the
// trampoline, is where the runtime's unwinder expects a frame called from
// the patched function's caller — turns the guard off, restores the Go
// segments and the caller's interrupt flag, and calls the original: on a
// proper Go stack, preemptible, free to block or grow its stack. Back, it
// disables interrupts, puts the bridge's words back (the stack may have
// moved: everything is found from SP), restores the guard and the module
// stack, and returns the result to C.
//
// Limits: at most MaxOriginalDepth calls may wait in an original at once
// (more return 0 to C and count in OriginalRefused); the C code may use
// OriginalGap bytes of stack below a waiting call's frame after it
// returns; and the original's signature must hold no pointers (kern/kpatch
// refuses others), since the goroutine's stack may move while C holds
// them.

// Descriptor layout of an original stub, from its start.
const (
	origTramp  = 0  // the trampoline
	origN      = 4  // number of cdecl argument words
	origResult = 8  // the Go result: op | offset<<8 (a cproto.StoreOp read back)
	origSize   = 12 // the Go argument frame's size in bytes (a multiple of 4)
	origLoads  = 16 // per cdecl word: op | offset<<8 (a cproto.LoadOp written back)

	// origFrame is cOrigGo's frame: the argument frame, then the save
	// area's address and the descriptor.
	origFrame = 160
	// MaxOriginalFrame bounds the original's argument frame.
	MaxOriginalFrame = origFrame - 8

	// OriginalGap is the stack a waiting C call keeps below its frame.
	OriginalGap = 8 << 10
	// MaxOriginalDepth is how many C calls may wait in originals at once.
	MaxOriginalDepth = 4

	origGap      = OriginalGap
	maxOrigDepth = MaxOriginalDepth
	origTrampOff = 256 // where the trampoline starts in the stub page
	// OrigStubMaxLen bounds a stub page's contents.
	OrigStubMaxLen = origTrampOff + 64
)

var (
	modStackBase uintptr // the module stack's top with no C call waiting
	origDepth    uint32  // C calls waiting in originals
	// OriginalRefused counts calls of originals refused (too deep, or not
	// from a patched call): C got 0.
	OriginalRefused uint32
)

// OrigHeadroom is the goroutine stack an original is given before it runs
// (origHeadroom). The original's trampoline skips the function's own stack
// check (plan.OriginalTrampoline), whose failure — to grow the stack or to
// yield to a preemption request — would restart it at its entry, the
// patched one, so that the replacement ran again inside itself; this room
// is what the check would have ensured. An original whose frame is larger
// is refused (kpatch reads the prologue).
const OrigHeadroom = 4096

// origHeadroomIndex keeps origHeadroom's frame from being optimised away.
var origHeadroomIndex uint32

// origHeadroom is called by cOrigGo just before the trampoline: an ordinary
// Go function whose frame of OrigHeadroom bytes makes its prologue grow the
// goroutine's stack, if it must, here, where a restart re-enters only
// origHeadroom.
//
//go:noinline
func origHeadroom() {
	var pad [OrigHeadroom]byte
	i := origHeadroomIndex % OrigHeadroom
	pad[i]++
	origHeadroomIndex += uint32(pad[(i+1)%OrigHeadroom])
}

func cOrig()
func cOrigGo()
func cOrigResume()
func cOrigAddr() uintptr

// OriginalStub returns the bytes of an original stub page placed at addr
// for a Go function whose argument frame is frameSize bytes, with b the
// bridge its C replacement is entered through (cproto.Match) and tramp the
// trampoline's code (it goes at addr+TrampolineOffset).
func OriginalStub(addr uint32, b *cproto.Bridge, frameSize uint32, tramp []byte) ([]byte, error) {
	if frameSize > MaxOriginalFrame || frameSize%4 != 0 {
		return nil, fmt.Errorf("the original's argument frame is %d bytes; calling the original supports at most %d", frameSize, MaxOriginalFrame)
	}
	if len(b.Loads) > MaxArgWords || len(tramp) > OrigStubMaxLen-origTrampOff {
		return nil, fmt.Errorf("%d argument words, %d bytes of trampoline", len(b.Loads), len(tramp))
	}
	out := make([]byte, origTrampOff+len(tramp))
	desc := addr + stubDesc
	out[0] = 0x68 // PUSHL $desc
	binary.LittleEndian.PutUint32(out[1:], desc)
	out[5] = 0xE9 // JMP rel32 to cOrig
	binary.LittleEndian.PutUint32(out[6:], uint32(cOrigAddr())-(addr+stubCode))
	for i := stubCode; i < origTrampOff; i++ {
		out[i] = 0xCC
	}
	d := out[stubDesc:]
	binary.LittleEndian.PutUint32(d[origTramp:], addr+origTrampOff)
	binary.LittleEndian.PutUint32(d[origN:], uint32(len(b.Loads)))
	binary.LittleEndian.PutUint32(d[origResult:], uint32(b.Result.Op)|b.Result.Off<<8)
	binary.LittleEndian.PutUint32(d[origSize:], frameSize)
	for i, l := range b.Loads {
		binary.LittleEndian.PutUint32(d[origLoads+4*i:], uint32(l.Op)|l.Off<<8)
	}
	copy(out[origTrampOff:], tramp)
	return out, nil
}

// TrampolineOffset is where OriginalStub puts the trampoline in its page.
const TrampolineOffset = origTrampOff
