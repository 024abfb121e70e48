package shim

import "gojos/kern/arch/x86"

// clock is the kernel's time: a TSC-based monotonic clock started at boot,
// the wall clock read from the RTC at boot, and the tick count.
var clock struct {
	tscHz    uint64
	tsc0     uint64
	bootUnix int64 // RTC at boot, seconds
	ticks    uint64
	idle     uint64 // ticks that arrived while the CPU waited in the idle loop
}

// nanotime returns monotonic nanoseconds since boot.
func nanotime() int64 {
	lo, hi := x86.Rdtsc()
	d := (uint64(hi)<<32 | uint64(lo)) - clock.tsc0
	hz := clock.tscHz
	return int64(d/hz*1000000000 + d%hz*1000000000/hz)
}

// realtime returns nanoseconds since the Unix epoch.
func realtime() int64 { return clock.bootUnix*1000000000 + nanotime() }
