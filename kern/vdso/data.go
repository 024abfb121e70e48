package vdso

import (
	"math/bits"
	"sync/atomic"
)

// PageSize is the size of each of the image's two pages.
const PageSize = 4096

// Size is the whole image: the ELF page, then the data page.
const Size = 2 * PageSize

// Offsets of Data's fields in the data page (the machine code uses them).
const (
	offSeq     = 0
	offShift   = 4
	offMult    = 8
	offTSC0    = 16
	offMono0   = 24
	offRealOff = 32
)

// Data is the layout of the data page. The kernel publishes a new epoch with
// Publish; readers (the vDSO code, and Nanos here) take a consistent copy
// with the sequence counter: odd while the writer is between its two
// increments, zero before the first Publish (then readers use the system
// call).
type Data struct {
	Seq     uint32 // even and non-zero: valid
	Shift   uint32 // ns = (tsc-TSC0) * Mult >> Shift + Mono0
	Mult    uint32
	_       uint32
	TSC0    uint64 // TSC at the epoch
	Mono0   uint64 // monotonic ns (since boot) at the epoch
	RealOff int64  // CLOCK_REALTIME = monotonic + RealOff
}

// Scale returns the multiplier and shift that turn TSC ticks at hz into
// nanoseconds: the largest shift (at most 31, as the code's SHRD takes)
// whose multiplier floor(1e9<<shift/hz) fits in 32 bits. The multiplier
// rounds down, so the result never runs ahead of the exact
// ticks*1e9/hz. ok is false only for hz 0 (any rate of 1 Hz or more has a
// multiplier below 2^32 at shift 0).
func Scale(hz uint64) (mult, shift uint32, ok bool) {
	if hz == 0 {
		return 0, 0, false
	}
	for s := uint32(31); ; s-- {
		m := (uint64(1e9) << s) / hz
		if m>>32 == 0 {
			return uint32(m), s, m != 0
		}
		if s == 0 {
			return 0, 0, false
		}
	}
}

// Publish starts a new epoch: at TSC value tsc the monotonic clock reads
// mono ns and the real-time clock mono+realOff. It does not allocate (the
// trap tier calls it from the timer interrupt). hz must satisfy Scale;
// otherwise the page is left invalid and readers use the system call.
func (d *Data) Publish(hz, tsc, mono uint64, realOff int64) {
	mult, shift, ok := Scale(hz)
	seq := atomic.LoadUint32(&d.Seq)
	atomic.StoreUint32(&d.Seq, seq|1) // odd: being written
	if !ok {
		return // stays odd: readers fall back for good
	}
	d.Mult, d.Shift = mult, shift
	d.TSC0, d.Mono0, d.RealOff = tsc, mono, realOff
	next := (seq | 1) + 1
	if next == 0 {
		next = 2 // zero means "never published"
	}
	atomic.StoreUint32(&d.Seq, next)
}

// Nanos is what the vDSO code computes for a TSC value: the monotonic
// nanoseconds, or ok false when it would make the system call instead. It
// is the reference the tests hold the machine code's arithmetic to.
func (d *Data) Nanos(tsc uint64) (ns uint64, ok bool) {
	if d.Seq == 0 || d.Seq&1 != 0 {
		return 0, false
	}
	hi, lo := bits.Mul64(tsc-d.TSC0, uint64(d.Mult))
	// The code keeps the low 96 bits of the product and shifts them right.
	hi &= 0xFFFFFFFF
	v := lo >> d.Shift
	if d.Shift != 0 {
		v |= hi << (64 - d.Shift)
	}
	return d.Mono0 + v, true
}
