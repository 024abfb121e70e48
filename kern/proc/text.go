package proc

import (
	"sync"
	"unsafe"
)

// Shared read-only segments. A program's segments without PF_W (its code
// and read-only data) are mapped from the initrd's own frames where the
// file's pages lie page-aligned in it (whole pages of the file), and
// copied into frames once, at its first exec, where not; every later exec
// of the same file maps the same frames read-only: exec does not allocate,
// zero and fill ~2 MiB per command, and the emulator (which caches
// translated code by physical page) reuses the code it has translated.
// Only files whose bytes cannot change are shared: those inside
// deps.Immutable (the initrd, in place).
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
// of a read-only segment whose bytes seg (inside file) belong at vaddr, and
// whether the segment can be shared at all (its file must lie inside
// deps.Immutable). A page that is a whole, page-aligned page of the file's
// own bytes is the initrd's frame itself (the initrd builder aligns
// executables for this: tools/mkinitrd); any other page is a frame of its
// own, filled once. No frame is ever freed: the initrd stays, and the
// copies are kept for later execs.
func sharedFrames(file, seg []byte, vaddr, start, n uint32) ([]uint32, bool, error) {
	if !inImmutable(file) || len(seg) == 0 {
		return nil, false, nil
	}
	key := textKey{uintptr(unsafe.Pointer(&seg[0])), n}
	textCache.mu.Lock()
	defer textCache.mu.Unlock()
	if fs, ok := textCache.frames[key]; ok {
		return fs, true, nil
	}
	fs := make([]uint32, 0, n)
	var filled []uint32 // the frames allocated here, to free on failure
	for k := uint32(0); k < n; k++ {
		pva := start + k*page
		if a, ok := filePage(file, seg, vaddr, pva); ok {
			if pa, ok := immutableFrame(a); ok {
				fs = append(fs, pa)
				continue
			}
		}
		f, err := palloc() // zeroed
		if err != nil {
			for _, f := range filled {
				pfree(f)
			}
			return nil, false, err
		}
		fs, filled = append(fs, f), append(filled, f)
		// The part of the segment's bytes on this page.
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

// filePage returns the address of the file bytes the segment's page at
// virtual address pva shows when the segment (seg, inside file, at vaddr)
// is the file mapped as it lies: if that is a whole page of file starting
// on a page boundary. Bytes around the segment on such a page are the
// same file's, as with Linux's mmap of an executable.
func filePage(file, seg []byte, vaddr, pva uint32) (uintptr, bool) {
	a := uintptr(unsafe.Pointer(&seg[0])) + uintptr(pva) - uintptr(vaddr)
	lo := uintptr(unsafe.Pointer(&file[0]))
	if a%page != 0 || a < lo || a-lo > uintptr(len(file)) || uintptr(len(file))-(a-lo) < page {
		return 0, false
	}
	return a, true
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
