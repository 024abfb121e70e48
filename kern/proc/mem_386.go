package proc

import (
	"syscall"
	"unsafe"

	"gojos/kern/abi/linux"
)

// The trap tier's services for user memory and user mode.

func palloc() (uint32, error) {
	r, _, errno := syscall.RawSyscall(linux.SYS_gojos_palloc, 0, 0, 0)
	if errno != 0 {
		return 0, linux.Errno(errno)
	}
	return uint32(r), nil
}

func pfree(pa uint32) {
	syscall.RawSyscall(linux.SYS_gojos_pfree, uintptr(pa), 0, 0)
}

// runUser runs the user thread described by uc until it traps and returns
// the trap number. It is a raw call: the goroutine keeps its P while user
// code runs, and the runtime sees no blocking call (see Thread.run for why
// that is the right trade, and how other goroutines get the P).
func runUser(uc *linux.UserContext) uint32 {
	r, _, _ := syscall.RawSyscall(linux.SYS_gojos_runuser, uintptr(unsafe.Pointer(uc)), 0, 0)
	return uint32(r)
}

// phys returns a byte slice over a physical frame, through the direct map.
func phys(pa uint32) *[4096]byte {
	return (*[4096]byte)(unsafe.Pointer(uintptr(pa) + linux.DirectMap))
}

func physWord(pa uint32, i uint32) *uint32 {
	return (*uint32)(unsafe.Pointer(uintptr(pa) + linux.DirectMap + uintptr(i)*4))
}

// hostFrames is mem_other.go's count of simulated frames; the kernel has
// none (the tests that count them run on the host only).
func hostFrames() int { return 0 }
