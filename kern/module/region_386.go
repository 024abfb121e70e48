package module

import (
	"syscall"
	"unsafe"
)

// Module memory lives in a zone of its own, high in the kernel's mmap
// window and far from the Go heap (which the runtime places low), with at
// least a guard gap of unmapped pages between regions: a module whose code
// writes a little past its own data, or through a pointer into another
// module's, faults — and the fault is contained (kern/kabi) — instead of
// silently corrupting the kernel's heap. (A write to an arbitrary kernel
// address is still possible: module code runs in ring 1 with the kernel.)
const (
	zoneLo   = 0x90000000
	zoneHi   = 0xBF000000
	guardGap = 16 << 10
)

var nextRegion uintptr = zoneLo

// mapRegion maps size bytes (a multiple of the page size) read/write for a
// module region, preferably at the zone's next free address. The caller
// holds mu.
func mapRegion(size int) ([]byte, error) {
	hint := nextRegion + guardGap
	if hint+uintptr(size) > zoneHi {
		hint = zoneLo + guardGap // wrap: freed regions leave room
	}
	r, _, e := syscall.Syscall6(syscall.SYS_MMAP2, hint, uintptr(size),
		syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON, ^uintptr(0), 0)
	if e != 0 {
		return nil, e
	}
	if r >= zoneLo && r < zoneHi {
		nextRegion = r + uintptr(size)
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(r)), size), nil
}

// unmapRegion returns a region mapped by mapRegion.
func unmapRegion(b []byte) {
	syscall.Syscall(syscall.SYS_MUNMAP, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)), 0)
}
