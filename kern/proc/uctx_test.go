package proc

import (
	"testing"
	"unsafe"

	"gojos/kern/abi/linux"
)

// The trap tier enters and leaves user mode in place: it needs Regs right
// after Fx (a frame with its FXSAVE area below it) and Fx on a 16-byte
// boundary, for every context a thread gets.
func TestUserContextLayout(t *testing.T) {
	var uc linux.UserContext
	if off := unsafe.Offsetof(uc.Regs); off != unsafe.Sizeof(uc.Fx) || unsafe.Offsetof(uc.Fx) != 0 {
		t.Fatalf("Fx at %d, Regs at %d: Regs must follow Fx", unsafe.Offsetof(uc.Fx), off)
	}
	keep := make([]*linux.UserContext, 0, 64)
	for i := range 64 {
		c := newUserContext()
		if a := uintptr(unsafe.Pointer(&c.Fx[0])); a&15 != 0 {
			t.Fatalf("context %d: Fx at %#x, not 16-byte aligned", i, a)
		}
		if *c != (linux.UserContext{}) {
			t.Fatalf("context %d not zeroed", i)
		}
		c.Regs[linux.RegEAX] = uint32(i)
		keep = append(keep, c)
	}
	for i, c := range keep {
		if c.Regs[linux.RegEAX] != uint32(i) {
			t.Fatalf("contexts overlap: %d reads %d", i, c.Regs[linux.RegEAX])
		}
	}
}
