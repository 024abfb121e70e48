package mm

import (
	"gojos/kern/abi/linux"
	"gojos/kern/bootinfo"
)

// MaxPages is the largest window a VMSpace can manage: 3 GiB of 4 KiB pages
// (the whole lower 3 GiB of a 32-bit address space).
const MaxPages = bootinfo.KernBase >> PageShift

// MaxRuns is the number of runs a VMSpace holds: the window is a sequence
// of at most MaxRuns maximal runs of pages in one state, free runs
// included, so a window can hold at least MaxRuns/2-1 separate mappings
// (more where mappings of different states touch). An operation that would
// need more runs fails with ENOMEM and changes nothing, as Linux fails one
// that would exceed vm.max_map_count. 1024 runs make the struct 5 KiB.
const MaxRuns = 1024

// Page states of a VMSpace.
const (
	// StateFree: nothing mapped; a touch is a fault (SIGSEGV).
	StateFree uint8 = iota
	// StateReserved: mapped PROT_NONE (the runtime's address-space
	// reservations); a touch is a fault. Any frame the page had before an
	// mprotect(PROT_NONE) keeps its contents (Linux does too).
	StateReserved
	// StateCommitted: readable and writable, demand-zero: the kernel
	// allocates and zeroes a frame on the first touch.
	StateCommitted
	// StateCommittedRO: readable, not writable (PROT_READ and/or PROT_EXEC
	// without PROT_WRITE); demand-zero like StateCommitted.
	StateCommittedRO
	numStates
)

// VMSpace is the map of the anonymous private mappings in one window
// [Lo, Hi) of an address space: a sorted array of maximal runs of pages in
// one state that together cover the window (adjacent runs always differ in
// state; free space is explicit free runs). Lookups are a binary search
// over the runs; Map, Unmap and Protect cost O(runs), not O(pages). It
// implements the placement and permission rules of Linux mmap2, munmap and
// mprotect for MAP_PRIVATE|MAP_ANONYMOUS; it does not touch page tables or
// frames. The kernel keeps the page tables in step:
//
//   - before Map(fixed) or Unmap it asks CheckMapFixed or CheckUnmap
//     whether the operation will succeed (it fails, changing nothing, when
//     the runs would exceed MaxRuns), then walks the range (State or
//     NextCommitted) and frees the frames of committed pages, then calls
//     Map or Unmap;
//   - after Protect it updates the permissions of present pages;
//   - on a page fault it allocates a zeroed frame iff IsCommitted (and the
//     access is a read or the state is StateCommitted);
//   - madvise(MADV_DONTNEED) validates with CheckMapped and then drops the
//     frames of the committed pages in the range (the state stays; the next
//     touch reads zeros again).
//
// All lengths are in bytes and rounded up to whole pages. Errors are
// positive Linux errno values (linux.EINVAL, linux.ENOMEM); 0 is success.
//
// The zero value is unusable until Init (every method then reports
// EINVAL, an empty window or a free page). The struct is about 5 KiB.
type VMSpace struct {
	lo, hi uint32
	npages uint32 // pages in the window
	nruns  int    // runs in use: [0, nruns)
	limit  int    // runs allowed (MaxRuns; smaller in tests)
	ready  bool
	gen    uint64 // counts changes of state (Gen)
	count  [numStates]int
	// Run k covers pages [start[k], start[k+1]) (the last one up to
	// npages) in state[k]; start[0] = 0, starts strictly ascending,
	// state[k] != state[k+1].
	start [MaxRuns]uint32
	state [MaxRuns]uint8
}

// Init sets the window to [lo, hi), all pages free. lo and hi must be
// page-aligned, lo must be non-zero (page 0 stays unmapped so that nil
// dereferences fault) and the window at most MaxPages pages. Init returns
// false, leaving the VMSpace unchanged, on bad arguments.
//
//go:nosplit
func (v *VMSpace) Init(lo, hi uint32) bool {
	if lo == 0 || lo&pageMask != 0 || hi&pageMask != 0 || hi <= lo || (hi-lo)>>PageShift > MaxPages {
		return false
	}
	n := (hi - lo) >> PageShift
	v.start[0], v.state[0], v.nruns, v.limit = 0, StateFree, 1, MaxRuns
	for s := range v.count {
		v.count[s] = 0
	}
	v.count[StateFree] = int(n)
	v.lo, v.hi, v.npages, v.ready = lo, hi, n, true
	v.gen++
	return true
}

// Gen changes whenever a page's state may have changed (Init, and every
// Map, Unmap or Protect that changed something): a caller may reuse what it
// concluded from the states (RangeCommitted) while Gen is the same.
//
//go:nosplit
func (v *VMSpace) Gen() uint64 { return v.gen }

// Lo returns the start of the window.
//
//go:nosplit
func (v *VMSpace) Lo() uint32 { return v.lo }

// Hi returns the end of the window (exclusive).
//
//go:nosplit
func (v *VMSpace) Hi() uint32 { return v.hi }

// Pages returns the number of pages in state s.
//
//go:nosplit
func (v *VMSpace) Pages(s uint8) int {
	if s >= numStates {
		return 0
	}
	return v.count[s]
}

// stateForProt maps an mmap/mprotect protection to a page state; ok is false
// for bits other than PROT_READ|PROT_WRITE|PROT_EXEC.
//
//go:nosplit
func stateForProt(prot uint32) (s uint8, ok bool) {
	switch {
	case prot&^(linux.PROT_READ|linux.PROT_WRITE|linux.PROT_EXEC) != 0:
		return 0, false
	case prot == linux.PROT_NONE:
		return StateReserved, true
	case prot&linux.PROT_WRITE != 0:
		return StateCommitted, true
	}
	return StateCommittedRO, true
}

// span converts [addr, addr+length) to pages [first, end) of the window.
// addr must be page-aligned; length is rounded up. ok is false if the range
// is not entirely inside the window (or length is 0).
//
//go:nosplit
func (v *VMSpace) span(addr, length uint32) (first, end uint32, ok bool) {
	e := uint64(addr) + (uint64(length)+pageMask)&^pageMask
	if length == 0 || addr < v.lo || e > uint64(v.hi) {
		return 0, 0, false
	}
	return (addr - v.lo) >> PageShift, uint32(e-uint64(v.lo)) >> PageShift, true
}

// find returns the run holding page p (p < npages): the last run whose
// start is at most p.
//
//go:nosplit
func (v *VMSpace) find(p uint32) int {
	lo, hi := 0, v.nruns-1
	for lo < hi {
		mid := (lo + hi + 1) >> 1
		if v.start[mid] <= p {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// runEnd returns the end (exclusive) of run k.
//
//go:nosplit
func (v *VMSpace) runEnd(k int) uint32 {
	if k+1 < v.nruns {
		return v.start[k+1]
	}
	return v.npages
}

// edit is a planned setRange: runs [a, b) are replaced by an optional left
// remainder (run a, kept as it is), the new run (from, its state) and an
// optional right remainder (rfrom, rstate); the window then has n runs.
// The new run absorbs equal-state neighbours and remainders, so that
// adjacent runs still differ.
type edit struct {
	a, b        int
	n           int
	from, rfrom uint32
	rstate      uint8
	left, right bool
}

// plan works out setRange(first, end, s) without changing anything
// (first < end <= npages).
//
//go:nosplit
func (v *VMSpace) plan(first, end uint32, s uint8) (e edit) {
	i, j := v.find(first), v.find(end-1)
	e.a, e.b, e.from = i, j+1, first
	if v.start[i] < first {
		if v.state[i] == s {
			e.from = v.start[i]
		} else {
			e.left = true
		}
	} else if i > 0 && v.state[i-1] == s {
		e.a, e.from = i-1, v.start[i-1]
	}
	if v.runEnd(j) > end {
		if v.state[j] != s {
			e.right, e.rfrom, e.rstate = true, end, v.state[j]
		}
	} else if j+1 < v.nruns && v.state[j+1] == s {
		e.b = j + 2
	}
	e.n = v.nruns - (e.b - e.a) + 1
	if e.left {
		e.n++
	}
	if e.right {
		e.n++
	}
	return e
}

// fits reports whether setRange(first, end, s) stays within the run limit.
//
//go:nosplit
func (v *VMSpace) fits(first, end uint32, s uint8) bool {
	return v.plan(first, end, s).n <= v.limit
}

// setRange sets pages [first, end) to state s (first < end <= npages),
// keeping the runs maximal and the counters right. It returns false,
// changing nothing, if the result would need more runs than the limit.
//
//go:nosplit
func (v *VMSpace) setRange(first, end uint32, s uint8) bool {
	e := v.plan(first, end, s)
	if e.n > v.limit {
		return false
	}
	for k := v.find(first); k < v.nruns && v.start[k] < end; k++ {
		lo, hi := max(v.start[k], first), min(v.runEnd(k), end)
		v.count[v.state[k]] -= int(hi - lo)
	}
	v.count[s] += int(end - first)
	// Move runs [b, nruns) to start at dst, after the replacement runs.
	dst := e.n - (v.nruns - e.b)
	if tail := v.nruns - e.b; dst < e.b {
		for k := 0; k < tail; k++ {
			v.start[dst+k], v.state[dst+k] = v.start[e.b+k], v.state[e.b+k]
		}
	} else if dst > e.b {
		for k := tail - 1; k >= 0; k-- {
			v.start[dst+k], v.state[dst+k] = v.start[e.b+k], v.state[e.b+k]
		}
	}
	k := e.a
	if e.left {
		k++ // run a is the left remainder, unchanged
	}
	v.start[k], v.state[k] = e.from, s
	if e.right {
		v.start[k+1], v.state[k+1] = e.rfrom, e.rstate
	}
	v.nruns = e.n
	v.gen++
	return true
}

// findFree returns the lowest page i >= from with [i, i+n) free.
//
//go:nosplit
func (v *VMSpace) findFree(from, n uint32) (i uint32, ok bool) {
	for k := v.find(from); k < v.nruns; k++ {
		if v.state[k] != StateFree {
			continue
		}
		i = max(v.start[k], from)
		if v.runEnd(k)-i >= n {
			return i, true
		}
	}
	return 0, false
}

// mapFixedArgs validates Map(addr, length, prot, true) and returns its
// pages and state.
//
//go:nosplit
func (v *VMSpace) mapFixedArgs(addr, length, prot uint32) (first, end uint32, s uint8, errno int32) {
	s, ok := stateForProt(prot)
	if !v.ready || length == 0 || !ok || addr&pageMask != 0 {
		return 0, 0, 0, linux.EINVAL
	}
	first, end, ok = v.span(addr, length)
	if !ok {
		return 0, 0, 0, linux.ENOMEM
	}
	return first, end, s, 0
}

// Map creates an anonymous private mapping of length bytes with protection
// prot (PROT_NONE reserves, anything else commits) and returns its address.
//
// Not fixed: hint (rounded up to a page) is used if [hint, hint+length) is
// inside the window and entirely free; otherwise the lowest free range at or
// above hint, otherwise the lowest free range from Lo. Fixed: hint must be
// page-aligned (EINVAL) and the range inside the window (ENOMEM); whatever
// was mapped there is replaced (the caller frees old frames first, after
// CheckMapFixed).
//
// Errors: EINVAL for length 0, unknown prot bits, an unaligned fixed
// address or an uninitialised VMSpace; ENOMEM if there is no room, or if
// the mapping would need more than MaxRuns runs (the placement is chosen
// first; nothing changes then).
//
//go:nosplit
func (v *VMSpace) Map(hint, length, prot uint32, fixed bool) (addr uint32, errno int32) {
	if fixed {
		first, end, s, errno := v.mapFixedArgs(hint, length, prot)
		if errno != 0 {
			return 0, errno
		}
		if !v.setRange(first, end, s) {
			return 0, linux.ENOMEM
		}
		return hint, 0
	}
	s, ok := stateForProt(prot)
	if !v.ready || length == 0 || !ok {
		return 0, linux.EINVAL
	}
	np := (uint64(length) + pageMask) >> PageShift
	if np > uint64(v.npages) {
		return 0, linux.ENOMEM
	}
	n := uint32(np)
	h := (uint64(hint) + pageMask) &^ pageMask
	start := uint32(0)
	if h >= uint64(v.lo) && h < uint64(v.hi) {
		start = uint32(h-uint64(v.lo)) >> PageShift
	}
	// The lowest fit at or above the hint's page is the hint itself when
	// that range is free.
	i, ok := v.findFree(start, n)
	if !ok && start > 0 {
		i, ok = v.findFree(0, n)
	}
	if !ok || !v.setRange(i, i+n, s) {
		return 0, linux.ENOMEM
	}
	return v.lo + i<<PageShift, 0
}

// CheckMapFixed returns the errno Map(addr, length, prot, true) would
// return, changing nothing: the kernel calls it before it frees the frames
// the mapping replaces.
//
//go:nosplit
func (v *VMSpace) CheckMapFixed(addr, length, prot uint32) int32 {
	first, end, s, errno := v.mapFixedArgs(addr, length, prot)
	if errno != 0 {
		return errno
	}
	if !v.fits(first, end, s) {
		return linux.ENOMEM
	}
	return 0
}

// unmapArgs validates Unmap(addr, length) and returns its pages.
//
//go:nosplit
func (v *VMSpace) unmapArgs(addr, length uint32) (first, end uint32, errno int32) {
	if !v.ready || addr&pageMask != 0 {
		return 0, 0, linux.EINVAL
	}
	first, end, ok := v.span(addr, length)
	if !ok {
		return 0, 0, linux.EINVAL
	}
	return first, end, 0
}

// Unmap removes the mappings in [addr, addr+length); free pages in the
// range are fine (Linux munmap). The caller frees the frames of committed
// pages first, after CheckUnmap. Errors: EINVAL for an unaligned addr,
// length 0 or a range not inside the window (stricter than Linux, which
// accepts any range below TASK_SIZE: the window is all of the address
// space this VMSpace owns); ENOMEM, changing nothing, if punching the hole
// would need more than MaxRuns runs (Linux too fails a munmap that would
// split one mapping too many).
//
//go:nosplit
func (v *VMSpace) Unmap(addr, length uint32) int32 {
	first, end, errno := v.unmapArgs(addr, length)
	if errno != 0 {
		return errno
	}
	if !v.setRange(first, end, StateFree) {
		return linux.ENOMEM
	}
	return 0
}

// CheckUnmap returns the errno Unmap(addr, length) would return, changing
// nothing.
//
//go:nosplit
func (v *VMSpace) CheckUnmap(addr, length uint32) int32 {
	first, end, errno := v.unmapArgs(addr, length)
	if errno != 0 {
		return errno
	}
	if !v.fits(first, end, StateFree) {
		return linux.ENOMEM
	}
	return 0
}

// check validates a range that must be entirely mapped (mprotect, madvise).
// first == end with errno 0 means an empty range (length 0).
//
//go:nosplit
func (v *VMSpace) check(addr, length uint32) (first, end uint32, errno int32) {
	if !v.ready || addr&pageMask != 0 {
		return 0, 0, linux.EINVAL
	}
	if length == 0 {
		return 0, 0, 0
	}
	first, end, ok := v.span(addr, length)
	if !ok {
		return 0, 0, linux.ENOMEM
	}
	for k := v.find(first); k < v.nruns && v.start[k] < end; k++ {
		if v.state[k] == StateFree {
			return 0, 0, linux.ENOMEM
		}
	}
	return first, end, 0
}

// CheckMapped validates [addr, addr+length) for madvise: EINVAL for an
// unaligned addr, ENOMEM if any page is outside the window or free, 0
// otherwise (also for length 0).
//
//go:nosplit
func (v *VMSpace) CheckMapped(addr, length uint32) int32 {
	_, _, errno := v.check(addr, length)
	return errno
}

// Protect changes the protection of [addr, addr+length) to prot
// (PROT_NONE → StateReserved, writable → StateCommitted, else
// StateCommittedRO). Like Linux mprotect: EINVAL for an unaligned addr or
// unknown prot bits, ENOMEM if any page in the range is free or outside the
// window, or if the change would need more than MaxRuns runs (then nothing
// changes), 0 for length 0.
//
//go:nosplit
func (v *VMSpace) Protect(addr, length, prot uint32) int32 {
	s, ok := stateForProt(prot)
	if !ok {
		return linux.EINVAL
	}
	first, end, errno := v.check(addr, length)
	if errno != 0 || first == end {
		return errno
	}
	if !v.setRange(first, end, s) {
		return linux.ENOMEM
	}
	return 0
}

// State returns the state of the page holding va (StateFree outside the
// window).
//
//go:nosplit
func (v *VMSpace) State(va uint32) uint8 {
	if !v.Contains(va) {
		return StateFree
	}
	return v.state[v.find((va-v.lo)>>PageShift)]
}

// Contains reports whether va is inside the window.
//
//go:nosplit
func (v *VMSpace) Contains(va uint32) bool {
	return v.ready && va >= v.lo && va < v.hi
}

// IsCommitted reports whether the page holding va may be backed by a frame
// (StateCommitted or StateCommittedRO).
//
//go:nosplit
func (v *VMSpace) IsCommitted(va uint32) bool {
	s := v.State(va)
	return s == StateCommitted || s == StateCommittedRO
}

// RangeCommitted reports whether every page of [va, end) is committed
// (IsCommitted), and with write StateCommitted (IsWritable): one search for
// the first page, then a walk over the runs the range covers. An empty or
// wrapping range, or one leaving the window, is not.
//
//go:nosplit
func (v *VMSpace) RangeCommitted(va, end uint32, write bool) bool {
	if end <= va || !v.Contains(va) || end > v.hi {
		return false
	}
	first, last := (va-v.lo)>>PageShift, (end-1-v.lo)>>PageShift
	for k := v.find(first); k < v.nruns && v.start[k] <= last; k++ {
		s := v.state[k]
		if s != StateCommitted && (write || s != StateCommittedRO) {
			return false
		}
	}
	return true
}

// IsWritable reports whether the page holding va is StateCommitted.
//
//go:nosplit
func (v *VMSpace) IsWritable(va uint32) bool {
	return v.State(va) == StateCommitted
}

// NextCommitted returns the address of the first committed page in
// [va, end) (va rounded down to a page; the range clipped to the window),
// skipping whole runs of other states. ok is false if there is none. Use it
// to find the frames to drop for munmap, MAP_FIXED and MADV_DONTNEED.
//
//go:nosplit
func (v *VMSpace) NextCommitted(va, end uint32) (page uint32, ok bool) {
	if !v.ready {
		return 0, false
	}
	va &^= pageMask
	if va < v.lo {
		va = v.lo
	}
	if end > v.hi {
		end = v.hi
	}
	if va >= end {
		return 0, false
	}
	p := (va - v.lo) >> PageShift
	to := uint32((uint64(end) - uint64(v.lo) + pageMask) >> PageShift)
	for k := v.find(p); k < v.nruns && v.start[k] < to; k++ {
		if s := v.state[k]; s == StateCommitted || s == StateCommittedRO {
			return v.lo + max(v.start[k], p)<<PageShift, true
		}
	}
	return 0, false
}
