//go:build !386

package proc

import (
	"sync"
	"unsafe"

	"gojos/kern/abi/linux"
)

// Host builds (go test on the development machine) have no trap tier: the
// physical frames an address space is built of are Go memory handed out
// here, so page tables, user copies, exec's stack layout and every system
// call that does not enter user mode run unchanged under test.

var hostMem struct {
	sync.Mutex
	frames map[uint32]*[4096]byte
	next   uint32
	limit  int // frames allowed at once; 0: no limit
}

func palloc() (uint32, error) {
	hostMem.Lock()
	defer hostMem.Unlock()
	if hostMem.frames == nil {
		hostMem.frames = map[uint32]*[4096]byte{}
		hostMem.next = 0x100000
	}
	if hostMem.limit > 0 && len(hostMem.frames) >= hostMem.limit {
		return 0, linux.Errno(linux.ENOMEM)
	}
	pa := hostMem.next
	hostMem.next += 4096
	hostMem.frames[pa] = new([4096]byte)
	return pa, nil
}

func pfreev(pas []uint32) {
	for _, pa := range pas {
		pfree(pa)
	}
}

func pfree(pa uint32) {
	hostMem.Lock()
	defer hostMem.Unlock()
	if hostMem.frames[pa] == nil {
		panic("pfree of a frame not allocated")
	}
	delete(hostMem.frames, pa)
}

// hostFrames returns how many frames are allocated.
func hostFrames() int {
	hostMem.Lock()
	defer hostMem.Unlock()
	return len(hostMem.frames)
}

func phys(pa uint32) *[4096]byte {
	hostMem.Lock()
	defer hostMem.Unlock()
	f := hostMem.frames[pa&^0xFFF]
	if f == nil {
		panic("access to a frame not allocated")
	}
	return f
}

// immutableFrame: the host's simulated memory has no frames behind
// deps.Immutable, so its segments are always copied.
func immutableFrame(a uintptr) (uint32, bool) { return 0, false }

func physWord(pa uint32, i uint32) *uint32 {
	return (*uint32)(unsafe.Pointer(&phys(pa)[i*4]))
}

// physTable returns the page table (or directory) in frame pa.
func physTable(pa uint32) *[1024]uint32 {
	return (*[1024]uint32)(unsafe.Pointer(phys(pa)))
}

// runUser has no user mode to enter on the host.
func runUser(*linux.UserContext, bool) uint32 {
	panic("proc: user mode needs the linux/386 kernel")
}
