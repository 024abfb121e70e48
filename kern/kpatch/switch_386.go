package kpatch

import (
	"fmt"
	"runtime"
	"unsafe"

	"gojos/kern/kpatch/plan"
)

// Writing many patches at once: pokeAll (switch_386.s) writes every entry
// of a multi-function change through SYS_gojos_textpoke in one critical
// section — interrupts off on the one CPU, after a first trap that serves
// any reschedule or signal already pending, so no other thread runs until
// all are written — and, should a write fail, writes back the old bytes of
// the ones before it: every target switches, or none does.

// pokeOp is one write of pokeAll: JumpLen bytes at addr, new to write,
// old to restore. The layout is the assembly's.
type pokeOp struct {
	addr uint32
	new  uintptr // *[plan.JumpLen]byte
	old  uintptr
}

// pokeAll writes ops in order; it returns -1, or the index of the write
// that failed after restoring every earlier one.
func pokeAll(ops *pokeOp, n uint32) int32

// write is a change of one entry's bytes.
type write struct {
	addr     uint32
	new, old [plan.JumpLen]byte
}

// pokeSet switches every write at once, all or none.
func pokeSet(ws []write) error {
	if len(ws) == 0 {
		return nil
	}
	ops := make([]pokeOp, len(ws))
	for i := range ws {
		ops[i] = pokeOp{ws[i].addr, uintptr(unsafe.Pointer(&ws[i].new)), uintptr(unsafe.Pointer(&ws[i].old))}
	}
	failed := pokeAll(&ops[0], uint32(len(ops)))
	runtime.KeepAlive(ws)
	runtime.KeepAlive(ops)
	if failed >= 0 {
		return fmt.Errorf("writing the patch of %#x failed: every entry written before it was restored, nothing is patched", ws[failed].addr)
	}
	return nil
}
