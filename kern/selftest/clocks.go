package selftest

import (
	"errors"
	"fmt"
	"syscall"
	"time"
	"unsafe"
)

// The runtime's clock readers (linkname-exported by the runtime): in the
// gojos kernel they call the vDSO the trap tier gave it (AT_SYSINFO_EHDR).
//
//go:linkname nanotime runtime.nanotime
func nanotime() int64

//go:linkname getAuxv runtime.getAuxv
func getAuxv() []uintptr

const atSysinfoEhdr = 33

func sysClock(clk uintptr, ts *syscall.Timespec) syscall.Errno {
	_, _, e := syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, clk, uintptr(unsafe.Pointer(ts)), 0)
	return e
}

// sysClockAt is clock_gettime with any address for the result.
func sysClockAt(clk, addr uintptr) syscall.Errno {
	_, _, e := syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, clk, addr, 0)
	return e
}

// clocks: the runtime's monotonic and real-time readings (the vDSO's)
// never go backwards and lie between two readings of the clock_gettime
// system call (the trap tier's own clock); a system call cannot write into
// the vDSO (EFAULT, the image intact).
func clocks() error {
	const slack = 1000 // ns: the two paths round differently
	var ts syscall.Timespec
	last := int64(0)
	for i := 0; i < 2000; i++ {
		if e := sysClock(1, &ts); e != 0 {
			return fmt.Errorf("clock_gettime(CLOCK_MONOTONIC): %v", e)
		}
		s1 := ts.Nano()
		v := nanotime()
		if e := sysClock(1, &ts); e != 0 {
			return fmt.Errorf("clock_gettime(CLOCK_MONOTONIC): %v", e)
		}
		s2 := ts.Nano()
		if v < s1-slack || v > s2+slack {
			return fmt.Errorf("monotonic: runtime %d outside the system call's [%d, %d]", v, s1, s2)
		}
		if v < last {
			return fmt.Errorf("monotonic went back from %d to %d", last, v)
		}
		last = v
	}
	for i := 0; i < 100; i++ {
		sysClock(0, &ts)
		r1 := ts.Nano()
		r := time.Now().UnixNano()
		sysClock(0, &ts)
		if r2 := ts.Nano(); r < r1-slack || r > r2+slack {
			return fmt.Errorf("real time: runtime %d outside the system call's [%d, %d]", r, r1, r2)
		}
	}
	a := getAuxv()
	for i := 0; i+1 < len(a); i += 2 {
		if a[i] != atSysinfoEhdr || a[i+1] == 0 {
			continue
		}
		ehdr := a[i+1]
		if e := sysClockAt(1, ehdr); e != syscall.EFAULT {
			return fmt.Errorf("clock_gettime into the vDSO at %#x: %v, want EFAULT", ehdr, e)
		}
		if magic := unsafe.Slice((*byte)(unsafe.Add(nil, ehdr)), 4); string(magic) != "\x7fELF" {
			return errors.New("the vDSO's ELF header changed")
		}
	}
	return nil
}
