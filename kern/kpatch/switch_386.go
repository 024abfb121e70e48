package kpatch

import (
	"fmt"
	"runtime"
	"unsafe"

	"gojos/kern/abi/linux"
	"gojos/kern/kdemo"
	"gojos/kern/kpatch/plan"
)

// Writing many patches at once: pokeAll (switch_386.s) writes every entry
// of a multi-function change through SYS_gojos_textpoke in one critical
// section — interrupts off on the one CPU, after a first trap that serves
// any reschedule or signal already pending, so no other thread runs until
// all are written — and, should a write fail, writes back the old bytes of
// the ones before it: every target switches, or none does.

// Numbers switch_386.s takes from go_asm.h.
const (
	sysGetpid   = linux.SYS_getpid
	sysTextpoke = linux.SYS_gojos_textpoke
	pokeLen     = plan.JumpLen
)

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

// SwitchSelfTest checks, on the running kernel, that a switch is all or
// none: it switches two quiet kernel functions (kdemo.LpBench30 and
// LpBench31, to LpBench29) and, in the same critical section, a third
// entry that cannot be written (an address outside kernel and module
// text); the write of the third must fail and the first two be restored,
// byte for byte, and still run their own code (kpatch selftest, from
// //tests:livepatch).
func SwitchSelfTest() (string, error) {
	mu.Lock()
	defer mu.Unlock()
	tab, err := table()
	if err != nil {
		return "", err
	}
	var fs [3]uint32
	for i, n := range []string{"gojos/kern/kdemo.LpBench29", "gojos/kern/kdemo.LpBench30", "gojos/kern/kdemo.LpBench31"} {
		f, err := tab.ByName(n)
		if err != nil {
			return "", err
		}
		if patches.Stack(f.Entry) != nil {
			return "", fmt.Errorf("%s is patched: remove its patches first", n)
		}
		fs[i] = f.Entry
	}
	const unwritable = 0x1000 // below the mmap window and outside any text: textpoke refuses it
	var ws []write
	for _, a := range []uint32{fs[1], fs[2], unwritable} {
		var w write
		w.addr = a
		w.new = plan.Jump(a, fs[0])
		if a != unwritable {
			copy(w.old[:], code(a, plan.JumpLen))
		}
		ws = append(ws, w)
	}
	err = pokeSet(ws)
	if err == nil {
		return "", fmt.Errorf("the write at %#x succeeded", unwritable)
	}
	for _, w := range ws[:2] {
		var now [plan.JumpLen]byte
		copy(now[:], code(w.addr, plan.JumpLen))
		if now != w.old {
			return "", fmt.Errorf("%#x holds % x after the failed switch, not its own % x", w.addr, now, w.old)
		}
	}
	r30, r31 := kdemo.LpBench30(1), kdemo.LpBench31(1)
	if r30 != 31 || r31 != 32 {
		return "", fmt.Errorf("after the failed switch LpBench30(1) = %d, LpBench31(1) = %d; want 31, 32", r30, r31)
	}
	return fmt.Sprintf("switch of 3 entries refused: %v\nthe 2 entries written before it were restored: LpBench30(1) = %d, LpBench31(1) = %d\n", err, r30, r31), nil
}
