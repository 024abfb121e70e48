package mm

import "math/bits"

// MaxFrames is the number of 4 KiB frames in the 32-bit physical address
// space (4 GiB); FrameAllocator covers all of them.
const MaxFrames = 1 << (32 - PageShift)

const bitmapWords = MaxFrames / 32

// FrameAllocator hands out 4 KiB physical frames below 4 GiB. It keeps two
// bitmaps of one bit per frame (128 KiB each): managed (the frame is RAM the
// allocator owns: added by AddFree and not taken back by Reserve) and free
// (managed and not allocated). Frame 0 is never managed, so Alloc never
// returns physical address 0.
//
// Set-up order: AddFree for every usable (e820 type 1) range first, then
// Reserve for everything in use (low 1 MiB, kernel image, initrd, symbols,
// boot structures). Reserve takes frames out for good; an AddFree after a
// Reserve would hand the frames back.
//
// The zero value is an empty allocator (no frames); declare it as a
// package-level variable.
type FrameAllocator struct {
	managed [bitmapWords]uint32
	free    [bitmapWords]uint32
	nfree   int
	ntotal  int
	next    int // next-fit cursor: frame number where Alloc starts looking
	loWord  int // words [loWord, hiWord) may hold managed frames
	hiWord  int
}

// frameRange converts a byte range to a frame range [f0, f1) clamped to
// 4 GiB. inward rounds start up and end down, otherwise outward.
//
//go:nosplit
func frameRange(start, end uint64, inward bool) (f0, f1 int) {
	const limit = uint64(MaxFrames) << PageShift
	if start >= end || start >= limit {
		return 0, 0
	}
	if end > limit {
		end = limit
	}
	if inward {
		start = (start + pageMask) &^ pageMask
		end &^= pageMask
	} else {
		start &^= pageMask
		end = (end + pageMask) &^ pageMask
	}
	if start >= end {
		return 0, 0
	}
	return int(start >> PageShift), int(end >> PageShift)
}

// wordMask returns the word index of frame f and the mask of frames [f, to)
// within that word, plus the first frame of the next word.
//
//go:nosplit
func wordMask(f, to int) (w int, m uint32, nextF int) {
	w = f >> 5
	nextF = (w + 1) << 5
	m = ^uint32(0) << uint(f&31)
	if to < nextF {
		m &= ^uint32(0) >> uint(nextF-to)
		nextF = to
	}
	return w, m, nextF
}

// AddFree adds the RAM in [start, end) (bytes; rounded inward to whole
// frames, clipped at 4 GiB) to the pool. Frame 0 and frames already managed
// are skipped. It returns the number of frames added.
//
//go:nosplit
func (a *FrameAllocator) AddFree(start, end uint64) int {
	f0, f1 := frameRange(start, end, true)
	if f0 == 0 && f1 > 0 {
		f0 = 1 // never hand out frame 0
	}
	added := 0
	for f := f0; f < f1; {
		w, m, nf := wordMask(f, f1)
		nb := m &^ a.managed[w]
		a.managed[w] |= nb
		a.free[w] |= nb
		added += bits.OnesCount32(nb)
		f = nf
	}
	if added > 0 {
		lw, hw := f0>>5, (f1+31)>>5
		if a.hiWord == 0 || lw < a.loWord {
			a.loWord = lw
		}
		if hw > a.hiWord {
			a.hiWord = hw
		}
		a.nfree += added
		a.ntotal += added
	}
	return added
}

// Reserve takes the frames overlapping [start, end) (bytes; rounded outward,
// clipped at 4 GiB) out of the pool for good, whether free or allocated:
// Free of such a frame later fails. It returns the number of managed frames
// removed.
//
//go:nosplit
func (a *FrameAllocator) Reserve(start, end uint64) int {
	f0, f1 := frameRange(start, end, false)
	removed := 0
	for f := f0; f < f1; {
		w, m, nf := wordMask(f, f1)
		removed += bits.OnesCount32(m & a.managed[w])
		a.nfree -= bits.OnesCount32(m & a.free[w])
		a.managed[w] &^= m
		a.free[w] &^= m
		f = nf
	}
	a.ntotal -= removed
	return removed
}

// Alloc takes one free frame, searching next-fit from the frame after the
// previous allocation. It never returns 0; ok is false if no frame is free.
// The frame's contents are whatever was there.
//
//go:nosplit
func (a *FrameAllocator) Alloc() (pa uint32, ok bool) {
	if a.nfree <= 0 {
		return 0, false
	}
	start := a.next
	if start < a.loWord<<5 || start >= a.hiWord<<5 {
		start = a.loWord << 5
	}
	sw := start >> 5
	// The cursor's word from the cursor on, the words above it, the words
	// below it, then the cursor's word again in full.
	if m := a.free[sw] & (^uint32(0) << uint(start&31)); m != 0 {
		return a.take(sw, m), true
	}
	for w := sw + 1; w < a.hiWord; w++ {
		if a.free[w] != 0 {
			return a.take(w, a.free[w]), true
		}
	}
	for w := a.loWord; w <= sw; w++ {
		if a.free[w] != 0 {
			return a.take(w, a.free[w]), true
		}
	}
	return 0, false // unreachable while nfree is consistent
}

// take allocates the lowest frame set in m (a subset of free[w]).
//
//go:nosplit
func (a *FrameAllocator) take(w int, m uint32) uint32 {
	b := bits.TrailingZeros32(m)
	a.free[w] &^= 1 << uint(b)
	a.nfree--
	f := w<<5 | b
	a.next = f + 1
	return uint32(f) << PageShift
}

// isFree reports whether frame f (in range) is free.
//
//go:nosplit
func (a *FrameAllocator) isFree(f int) bool {
	return a.free[f>>5]&(1<<uint(f&31)) != 0
}

// scan returns the first frame in [from, to) whose free bit equals want, or
// to if there is none.
//
//go:nosplit
func (a *FrameAllocator) scan(from, to int, want bool) int {
	for f := from; f < to; {
		w, m, nf := wordMask(f, to)
		x := a.free[w]
		if !want {
			x = ^x
		}
		if x &= m; x != 0 {
			return w<<5 | bits.TrailingZeros32(x)
		}
		f = nf
	}
	return to
}

// AllocContig takes n physically contiguous free frames whose first frame
// address is a multiple of align (a power of two; 0 or anything below
// PageSize means PageSize). The search is first-fit from the lowest frame,
// so it is best kept for boot-time and driver buffers. ok is false if no such
// run exists or the arguments are invalid.
//
//go:nosplit
func (a *FrameAllocator) AllocContig(n int, align uint32) (pa uint32, ok bool) {
	if n <= 0 || n > a.nfree {
		return 0, false
	}
	if align < PageSize {
		align = PageSize
	}
	if align&(align-1) != 0 {
		return 0, false
	}
	af := int(align >> PageShift)
	lo, hi := a.loWord<<5, a.hiWord<<5
	c := (lo + af - 1) &^ (af - 1)
	if c == 0 {
		c = af
	}
	for c >= 0 && c+n <= hi {
		bad := a.scan(c, c+n, false)
		if bad == c+n {
			for f := c; f < c+n; {
				w, m, nf := wordMask(f, c+n)
				a.free[w] &^= m
				f = nf
			}
			a.nfree -= n
			return uint32(c) << PageShift, true
		}
		nextFree := a.scan(bad+1, hi, true)
		c = (nextFree + af - 1) &^ (af - 1)
	}
	return 0, false
}

// Free returns the frame at pa to the pool. It returns false, changing
// nothing, if pa is not frame-aligned, the frame is not managed (never added,
// or reserved) or it is already free.
//
//go:nosplit
func (a *FrameAllocator) Free(pa uint32) bool {
	if pa&pageMask != 0 {
		return false
	}
	f := int(pa >> PageShift)
	w, bit := f>>5, uint32(1)<<uint(f&31)
	if a.managed[w]&bit == 0 || a.free[w]&bit != 0 {
		return false
	}
	a.free[w] |= bit
	a.nfree++
	return true
}

// IsFree reports whether the frame at pa is managed and free.
//
//go:nosplit
func (a *FrameAllocator) IsFree(pa uint32) bool {
	return a.isFree(int(pa >> PageShift))
}

// IsManaged reports whether the frame at pa belongs to the pool (free or
// allocated).
//
//go:nosplit
func (a *FrameAllocator) IsManaged(pa uint32) bool {
	f := int(pa >> PageShift)
	return a.managed[f>>5]&(1<<uint(f&31)) != 0
}

// FreeCount returns the number of free frames.
//
//go:nosplit
func (a *FrameAllocator) FreeCount() int { return a.nfree }

// TotalCount returns the number of managed frames (free or allocated).
//
//go:nosplit
func (a *FrameAllocator) TotalCount() int { return a.ntotal }
