package linux

// struct timespec as system calls pass it on i386: the old 32-bit form
// (two 32-bit words) and the _time64 calls' struct __kernel_timespec (two
// 64-bit words). Both tiers read and write timespecs with these.
const (
	TimespecSize   = 8
	Timespec64Size = 16

	// TimespecMaxSec caps a decoded timeout (about 136 years): longer is
	// forever for every caller, and the nanoseconds stay within int64.
	TimespecMaxSec = 1 << 32
)

// TimespecLen is the size of the timespec a call passes.
func TimespecLen(wide bool) uint32 {
	if wide {
		return Timespec64Size
	}
	return TimespecSize
}

func get32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

func put32(b []byte, v uint32) {
	b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
}

// DecodeTimespec reads a timespec (TimespecLen(wide) bytes of b) as
// nanoseconds, seconds capped at TimespecMaxSec; ok is false for a negative
// value or nanoseconds out of [0, 1e9) (the call's EINVAL).
func DecodeTimespec(b []byte, wide bool) (ns int64, ok bool) {
	var sec, nsec int64
	if wide {
		_ = b[Timespec64Size-1]
		sec = int64(uint64(get32(b)) | uint64(get32(b[4:]))<<32)
		nsec = int64(uint64(get32(b[8:])) | uint64(get32(b[12:]))<<32)
	} else {
		_ = b[TimespecSize-1]
		sec, nsec = int64(int32(get32(b))), int64(int32(get32(b[4:])))
	}
	if sec < 0 || nsec < 0 || nsec >= 1e9 {
		return 0, false
	}
	return min(sec, TimespecMaxSec)*1e9 + nsec, true
}

// EncodeTimespec writes ns (not negative) as a timespec into b.
func EncodeTimespec(b []byte, ns int64, wide bool) {
	sec, nsec := ns/1e9, ns%1e9
	if wide {
		_ = b[Timespec64Size-1]
		put32(b, uint32(sec))
		put32(b[4:], uint32(sec>>32))
		put32(b[8:], uint32(nsec))
		put32(b[12:], 0)
		return
	}
	_ = b[TimespecSize-1]
	put32(b, uint32(sec))
	put32(b[4:], uint32(nsec))
}

// ClockRealtime sorts the clock ids clock_gettime accepts: true for the
// wall clocks, false for the monotonic ones (the CPU-time clocks are
// approximated by the monotonic clock); ok is false for an unknown id.
func ClockRealtime(id int32) (realtime, ok bool) {
	switch id {
	case CLOCK_REALTIME, CLOCK_REALTIME_COARSE:
		return true, true
	case CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME,
		CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID:
		return false, true
	}
	return false, false
}
