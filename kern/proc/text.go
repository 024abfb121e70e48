package proc

import (
	"sync"
	"unsafe"
)

// Shared read-only segments. A program's segments without PF_W (its code
// and read-only data) are copied into frames once, at its first exec, and
// every later exec of the same file maps those frames read-only instead of
// copying them again: exec does not allocate, zero and fill ~2 MiB per
// command, and the emulator (which caches translated code by physical
// page) reuses the code it has translated. Only files whose bytes cannot
// change are shared: those inside deps.Immutable (the initrd, in place).
//
// A shared page's PTE carries pteShared: releasing it does not free the
// frame, and making it writable (mprotect) first gives the process a
// private copy.

const pteShared = 0x200 // an available PTE bit: the frame belongs to textCache

type textKey struct {
	addr uintptr // the segment's first file byte, inside deps.Immutable
	n    uint32  // the segment's size in pages
}

var textCache struct {
	mu     sync.Mutex
	frames map[textKey][]uint32
}

// inImmutable reports whether b lies inside deps.Immutable.
func inImmutable(b []byte) bool {
	im := deps.Immutable
	if len(b) == 0 || len(im) == 0 {
		return false
	}
	lo := uintptr(unsafe.Pointer(&im[0]))
	p := uintptr(unsafe.Pointer(&b[0]))
	return p >= lo && p-lo <= uintptr(len(im)-len(b))
}

// sharedFrames returns the frames holding the pages [start, start+n*page)
// of a read-only segment whose file bytes (seg, at virtual address vaddr)
// lie in Immutable, filling them at the first call. ok is false when the
// segment cannot be shared.
func sharedFrames(seg []byte, vaddr, start, n uint32) ([]uint32, bool, error) {
	if !inImmutable(seg) {
		return nil, false, nil
	}
	key := textKey{uintptr(unsafe.Pointer(&seg[0])), n}
	textCache.mu.Lock()
	defer textCache.mu.Unlock()
	if fs, ok := textCache.frames[key]; ok {
		return fs, true, nil
	}
	fs := make([]uint32, 0, n)
	for k := uint32(0); k < n; k++ {
		f, err := palloc() // zeroed
		if err != nil {
			for _, f := range fs {
				pfree(f)
			}
			return nil, false, err
		}
		fs = append(fs, f)
		// The part of the segment's bytes on this page.
		pva := start + k*page
		lo, hi := max(pva, vaddr), min(pva+page, vaddr+uint32(len(seg)))
		if lo < hi {
			copy(phys(f)[lo-pva:hi-pva], seg[lo-vaddr:hi-vaddr])
		}
	}
	if textCache.frames == nil {
		textCache.frames = map[textKey][]uint32{}
	}
	textCache.frames[key] = fs
	return fs, true, nil
}

// mapShared maps frames read-only (and executable: i386 page tables cannot
// say otherwise) at start, which Map has made a mapping with prot.
func (as *AddressSpace) mapShared(start uint32, frames []uint32) error {
	as.mu.Lock()
	defer as.mu.Unlock()
	for k, f := range frames {
		pt, i, err := as.pte(start+uint32(k)*page, true)
		if err != nil {
			return err
		}
		e := physWord(pt, i)
		old := *e
		*e = f | pteP | pteU | pteShared
		if old&pteP != 0 {
			as.staleTLB()
			if old&pteShared == 0 {
				pfree(old &^ 0xFFF)
				as.resident--
			}
		}
		as.resident++
	}
	return nil
}

// privatize gives the process its own copy of the shared page e maps (the
// caller holds as.mu); the PTE keeps its other bits but pteShared.
func (as *AddressSpace) privatize(e *uint32) error {
	f, err := palloc()
	if err != nil {
		return err
	}
	*phys(f) = *phys(*e &^ 0xFFF)
	*e = f | *e&0xFFF&^pteShared
	as.staleTLB() // the shared frame may be cached read-only
	return nil
}
