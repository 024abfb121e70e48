// Package rtclock is how a Go program on gojos — the kernel's own runtime
// or a user process — reads the clock as its runtime does, and the system
// call that reading is checked against: the runtime's nanotime (the vDSO's
// __vdso_clock_gettime when the program was given a vDSO), the vDSO's
// address from the auxiliary vector, and clock_gettime as a trap. The
// kernel's self-test and kbench -clock compare the two.
package rtclock

import (
	"syscall"
	"unsafe"

	"gojos/kern/abi/linux"
)

// Nanotime is the runtime's monotonic clock (linkname-exported by the
// runtime for outside use).
//
//go:linkname Nanotime runtime.nanotime
func Nanotime() int64

//go:linkname getAuxv runtime.getAuxv
func getAuxv() []uintptr

// VDSO returns the vDSO's address (AT_SYSINFO_EHDR), 0 if the program was
// given none.
func VDSO() uintptr {
	a := getAuxv()
	for i := 0; i+1 < len(a); i += 2 {
		if a[i] == linux.AT_SYSINFO_EHDR {
			return a[i+1]
		}
	}
	return 0
}

// Sys is clock_gettime(clk) made as a system call, in nanoseconds.
func Sys(clk uintptr) (int64, syscall.Errno) {
	var ts syscall.Timespec
	if e := SysAt(clk, uintptr(unsafe.Pointer(&ts))); e != 0 {
		return 0, e
	}
	return ts.Nano(), 0
}

// SysAt is clock_gettime(clk) made as a system call with any address for
// the result.
func SysAt(clk, addr uintptr) syscall.Errno {
	_, _, e := syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, clk, addr, 0)
	return e
}
