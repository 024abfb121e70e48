package shim

import (
	"gojos/kern/abi/linux"
	"gojos/kern/bootinfo"
)

// sysTextpoke writes n bytes from src to dst in kernel text or in the mmap
// window (where module text lives). The bytes go through the direct map,
// to the frames behind dst, so that write protection stays on (lifting
// CR0.WP and setting it again would empty the TLB twice: under emulation
// that was most of a patch's cost). The trap tier runs with interrupts
// off on the one CPU, so no other thread runs while the bytes change; the
// processor notices a write to code by physical address, whichever
// mapping it went through, and the IRET back to the caller is a
// serialising instruction. Only the kernel's own Go code can call it.
func sysTextpoke(dst, src, n uint32) int32 {
	if n == 0 || n > 64 {
		return -linux.EINVAL
	}
	if !validRange(src, n, false) {
		return -linux.EFAULT
	}
	end := dst + n
	inKernelText := uintptr(dst) >= kernBase+bootinfo.KernelLoad && uintptr(end) <= kEtext && end > dst
	inWindow := dst >= winLo && end <= winHi && end > dst
	if !inKernelText && !inWindow {
		return -linux.EFAULT
	}
	// The frame behind each page of [dst, end), checked before any byte
	// is written.
	var frames [2]uint32 // n <= 64 spans at most two pages
	for i, va := 0, dst&^(pageSize-1); va < end; i, va = i+1, va+pageSize {
		if inKernelText {
			frames[i] = uint32(uintptr(va) - kernBase)
			continue
		}
		if !vms.IsCommitted(va) {
			return -linux.EFAULT
		}
		p := pte(va, false)
		if p == 0 || *word(p)&pteP == 0 {
			return -linux.EFAULT // module text is present by the time it is patched
		}
		frames[i] = *word(p) &^ (pageSize - 1)
	}
	for i, va := 0, dst; va < end; i++ {
		chunk := min(end, (va&^(pageSize-1))+pageSize) - va
		copyMem(p2v(frames[i])+uintptr(va&(pageSize-1)), uintptr(src+(va-dst)), uintptr(chunk))
		va += chunk
	}
	return int32(n)
}
