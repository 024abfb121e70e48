package selftest

import (
	"errors"
	"fmt"
	"syscall"
	"time"
	"unsafe"

	"gojos/kern/vdso/rtclock"
)

// clocks: the runtime's monotonic and real-time readings (the vDSO's)
// never go backwards and lie between two readings of the clock_gettime
// system call (the trap tier's own clock); a system call cannot write into
// the vDSO (EFAULT, the image intact).
func clocks() error {
	const slack = 1000 // ns: the two paths round differently
	last := int64(0)
	for i := 0; i < 2000; i++ {
		s1, e := rtclock.Sys(1)
		if e != 0 {
			return fmt.Errorf("clock_gettime(CLOCK_MONOTONIC): %v", e)
		}
		v := rtclock.Nanotime()
		s2, e := rtclock.Sys(1)
		if e != 0 {
			return fmt.Errorf("clock_gettime(CLOCK_MONOTONIC): %v", e)
		}
		if v < s1-slack || v > s2+slack {
			return fmt.Errorf("monotonic: runtime %d outside the system call's [%d, %d]", v, s1, s2)
		}
		if v < last {
			return fmt.Errorf("monotonic went back from %d to %d", last, v)
		}
		last = v
	}
	for i := 0; i < 100; i++ {
		r1, _ := rtclock.Sys(0)
		r := time.Now().UnixNano()
		if r2, _ := rtclock.Sys(0); r < r1-slack || r > r2+slack {
			return fmt.Errorf("real time: runtime %d outside the system call's [%d, %d]", r, r1, r2)
		}
	}
	if ehdr := rtclock.VDSO(); ehdr != 0 {
		if e := rtclock.SysAt(1, ehdr); e != syscall.EFAULT {
			return fmt.Errorf("clock_gettime into the vDSO at %#x: %v, want EFAULT", ehdr, e)
		}
		if magic := unsafe.Slice((*byte)(unsafe.Add(nil, ehdr)), 4); string(magic) != "\x7fELF" {
			return errors.New("the vDSO's ELF header changed")
		}
	}
	return nil
}
