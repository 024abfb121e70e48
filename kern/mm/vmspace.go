package mm

import (
	"gojos/kern/abi/linux"
	"gojos/kern/bootinfo"
)

// MaxPages is the largest window a VMSpace can manage: 3 GiB of 4 KiB pages
// (the whole lower 3 GiB of a 32-bit address space). The page-state array is
// MaxPages bytes (768 KiB).
const MaxPages = bootinfo.KernBase >> PageShift

const (
	chunkShift = 10 // 1024 pages = 4 MiB per summary chunk
	chunkPages = 1 << chunkShift
	maxChunks  = MaxPages / chunkPages
)

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
// [Lo, Hi) of an address space: one byte of state per page plus a per-4 MiB
// summary of free pages that makes searches skip full and empty chunks. It
// implements the placement and permission rules of Linux mmap2, munmap and
// mprotect for MAP_PRIVATE|MAP_ANONYMOUS; it does not touch page tables or
// frames. The kernel keeps the page tables in step:
//
//   - before Map(fixed) or Unmap it walks the range (State or
//     NextCommitted) and frees the frames of committed pages;
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
// The zero value is unusable until Init; declare it as a package-level
// variable.
type VMSpace struct {
	lo, hi    uint32
	npages    int
	ready     bool
	count     [numStates]int
	chunkFree [maxChunks]uint16 // free pages per chunk (pages past npages count as used)
	page      [MaxPages]uint8
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
	n := int((hi - lo) >> PageShift)
	for i := 0; i < v.npages; i++ { // pages past npages are never set
		v.page[i] = StateFree
	}
	for c := 0; c < maxChunks; c++ {
		free := n - c*chunkPages
		if free > chunkPages {
			free = chunkPages
		}
		if free < 0 {
			free = 0
		}
		v.chunkFree[c] = uint16(free)
	}
	for s := range v.count {
		v.count[s] = 0
	}
	v.count[StateFree] = n
	v.lo, v.hi, v.npages, v.ready = lo, hi, n, true
	return true
}

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

// span converts [addr, addr+length) to page indices [first, first+n) of the
// window. addr must be page-aligned; length is rounded up. ok is false if
// the range is not entirely inside the window (or length is 0).
//
//go:nosplit
func (v *VMSpace) span(addr, length uint32) (first, n int, ok bool) {
	end := uint64(addr) + (uint64(length)+pageMask)&^pageMask
	if length == 0 || addr < v.lo || end > uint64(v.hi) {
		return 0, 0, false
	}
	return int((addr - v.lo) >> PageShift), int((end - uint64(addr)) >> PageShift), true
}

// setRange sets pages [first, first+n) to state s, keeping the counters.
//
//go:nosplit
func (v *VMSpace) setRange(first, n int, s uint8) {
	for i := first; i < first+n; i++ {
		old := v.page[i]
		if old == s {
			continue
		}
		if old == StateFree {
			v.chunkFree[i>>chunkShift]--
		} else if s == StateFree {
			v.chunkFree[i>>chunkShift]++
		}
		v.count[old]--
		v.count[s]++
		v.page[i] = s
	}
}

// allFree reports whether pages [first, first+n) are all free.
//
//go:nosplit
func (v *VMSpace) allFree(first, n int) bool {
	return v.findFree(first, first+n, n) == first
}

// findFree returns the first index i in [from, to) with pages [i, i+n)
// all free and i+n <= to, or -1.
//
//go:nosplit
func (v *VMSpace) findFree(from, to, n int) int {
	run, runStart := 0, from
	for i := from; i < to; {
		if i&(chunkPages-1) == 0 && i+chunkPages <= to {
			switch v.chunkFree[i>>chunkShift] {
			case chunkPages:
				if run == 0 {
					runStart = i
				}
				run += chunkPages
				i += chunkPages
				if run >= n {
					return runStart
				}
				continue
			case 0:
				run = 0
				i += chunkPages
				continue
			}
		}
		if v.page[i] == StateFree {
			if run == 0 {
				runStart = i
			}
			run++
			if run >= n {
				return runStart
			}
		} else {
			run = 0
		}
		i++
	}
	return -1
}

// Map creates an anonymous private mapping of length bytes with protection
// prot (PROT_NONE reserves, anything else commits) and returns its address.
//
// Not fixed: hint (rounded up to a page) is used if [hint, hint+length) is
// inside the window and entirely free; otherwise the lowest free range at or
// above hint, otherwise the lowest free range from Lo. Fixed: hint must be
// page-aligned (EINVAL) and the range inside the window (ENOMEM); whatever
// was mapped there is replaced (the caller frees old frames first).
//
// Errors: EINVAL for length 0, unknown prot bits, an unaligned fixed
// address or an uninitialised VMSpace; ENOMEM if there is no room.
//
//go:nosplit
func (v *VMSpace) Map(hint, length, prot uint32, fixed bool) (addr uint32, errno int32) {
	s, ok := stateForProt(prot)
	if !v.ready || length == 0 || !ok {
		return 0, linux.EINVAL
	}
	if fixed {
		if hint&pageMask != 0 {
			return 0, linux.EINVAL
		}
		first, n, ok := v.span(hint, length)
		if !ok {
			return 0, linux.ENOMEM
		}
		v.setRange(first, n, s)
		return hint, 0
	}
	np := (uint64(length) + pageMask) >> PageShift
	if np > uint64(v.npages) {
		return 0, linux.ENOMEM
	}
	n := int(np)
	h := (uint64(hint) + pageMask) &^ pageMask
	start := 0
	if h >= uint64(v.lo) && h < uint64(v.hi) {
		start = int((h - uint64(v.lo)) >> PageShift)
		if start+n <= v.npages && v.allFree(start, n) {
			v.setRange(start, n, s)
			return v.lo + uint32(start)<<PageShift, 0
		}
	}
	i := v.findFree(start, v.npages, n)
	if i < 0 && start > 0 {
		to := start + n - 1 // runs starting at or above start were searched
		if to > v.npages {
			to = v.npages
		}
		i = v.findFree(0, to, n)
	}
	if i < 0 {
		return 0, linux.ENOMEM
	}
	v.setRange(i, n, s)
	return v.lo + uint32(i)<<PageShift, 0
}

// Unmap removes the mappings in [addr, addr+length); free pages in the
// range are fine (Linux munmap). The caller frees the frames of committed
// pages first. Errors: EINVAL for an unaligned addr, length 0 or a range
// not inside the window (stricter than Linux, which accepts any range below
// TASK_SIZE: the window is all of the address space this VMSpace owns).
//
//go:nosplit
func (v *VMSpace) Unmap(addr, length uint32) int32 {
	if !v.ready || addr&pageMask != 0 {
		return linux.EINVAL
	}
	first, n, ok := v.span(addr, length)
	if !ok {
		return linux.EINVAL
	}
	v.setRange(first, n, StateFree)
	return 0
}

// check validates a range that must be entirely mapped (mprotect, madvise).
// n == 0 with errno 0 means an empty range (length 0).
//
//go:nosplit
func (v *VMSpace) check(addr, length uint32) (first, n int, errno int32) {
	if !v.ready || addr&pageMask != 0 {
		return 0, 0, linux.EINVAL
	}
	if length == 0 {
		return 0, 0, 0
	}
	first, n, ok := v.span(addr, length)
	if !ok {
		return 0, 0, linux.ENOMEM
	}
	for i := first; i < first+n; i++ {
		if v.page[i] == StateFree {
			return 0, 0, linux.ENOMEM
		}
	}
	return first, n, 0
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
// window (then nothing changes), 0 for length 0.
//
//go:nosplit
func (v *VMSpace) Protect(addr, length, prot uint32) int32 {
	s, ok := stateForProt(prot)
	if !ok {
		return linux.EINVAL
	}
	first, n, errno := v.check(addr, length)
	if errno != 0 {
		return errno
	}
	v.setRange(first, n, s)
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
	return v.page[(va-v.lo)>>PageShift]
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

// IsWritable reports whether the page holding va is StateCommitted.
//
//go:nosplit
func (v *VMSpace) IsWritable(va uint32) bool {
	return v.State(va) == StateCommitted
}

// NextCommitted returns the address of the first committed page in
// [va, end) (va rounded down to a page; the range clipped to the window),
// skipping free 4 MiB chunks quickly. ok is false if there is none. Use it
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
	to := int((uint64(end) - uint64(v.lo) + pageMask) >> PageShift)
	for i := int((va - v.lo) >> PageShift); i < to; {
		if i&(chunkPages-1) == 0 && v.chunkFree[i>>chunkShift] == chunkPages {
			i += chunkPages
			continue
		}
		if s := v.page[i]; s == StateCommitted || s == StateCommittedRO {
			return v.lo + uint32(i)<<PageShift, true
		}
		i++
	}
	return 0, false
}
