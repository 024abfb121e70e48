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

// pfreev frees the frames in pas (at most linux.PfreevMax) in one call.
func pfreev(pas []uint32) {
	if len(pas) > 0 {
		syscall.RawSyscall(linux.SYS_gojos_pfreev, uintptr(unsafe.Pointer(&pas[0])), uintptr(len(pas)), 0)
	}
}

func pfree(pa uint32) {
	syscall.RawSyscall(linux.SYS_gojos_pfree, uintptr(pa), 0, 0)
}

// runUser runs the user thread described by uc until it traps and returns
// the trap number. Normally it is a blocking system call for the runtime:
// the goroutine's P goes to other goroutines meanwhile. With short (the
// thread's last trap was a system call or fault, so it most likely traps
// again soon) it is a raw call that keeps the P: the runtime's blocking-call
// bookkeeping (entersyscall/exitsyscall) is a good part of a short system
// call's cost under TCG, and user code cannot keep the P longer than until
// the next timer tick, which always ends runUser; the entry after a tick
// is a blocking one again.
func runUser(uc *linux.UserContext, short bool) uint32 {
	if short {
		// RawSyscall6, not RawSyscall: RawSyscall only calls it, and this
		// runs at every trap.
		r, _, _ := syscall.RawSyscall6(linux.SYS_gojos_runuser, uintptr(unsafe.Pointer(uc)), 0, 0, 0, 0, 0)
		return uint32(r)
	}
	r, _, _ := syscall.Syscall(linux.SYS_gojos_runuser, uintptr(unsafe.Pointer(uc)), 0, 0)
	return uint32(r)
}

// phys returns a byte slice over a physical frame, through the direct map.
func phys(pa uint32) *[4096]byte {
	return (*[4096]byte)(unsafe.Pointer(uintptr(pa) + linux.DirectMap))
}

// immutableFrame is the frame behind a of deps.Immutable (the initrd, in
// the direct map).
func immutableFrame(a uintptr) (uint32, bool) {
	if a < linux.DirectMap {
		return 0, false
	}
	return uint32(a - linux.DirectMap), true
}

func physWord(pa uint32, i uint32) *uint32 {
	return (*uint32)(unsafe.Pointer(uintptr(pa) + linux.DirectMap + uintptr(i)*4))
}

// physTable returns the page table (or directory) in frame pa.
func physTable(pa uint32) *[1024]uint32 {
	return (*[1024]uint32)(unsafe.Pointer(uintptr(pa&^0xFFF) + linux.DirectMap))
}

// hostFrames is mem_other.go's count of simulated frames; the kernel has
// none (the tests that count them run on the host only).
func hostFrames() int { return 0 }
