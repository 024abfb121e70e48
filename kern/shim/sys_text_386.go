package shim

import (
	"gojos/kern/abi/linux"
	"gojos/kern/arch/x86"
	"gojos/kern/bootinfo"
)

// sysTextpoke writes n bytes from src to dst in kernel text or in the mmap
// window (where module text lives), with write protection lifted for the
// copy only. The trap tier runs with interrupts off on the one CPU, so no
// other thread runs while the bytes change; the IRET back to the caller is
// a serialising instruction. Only the kernel's own Go code can call it.
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
	if inWindow {
		for va := dst &^ (pageSize - 1); va < end; va += pageSize {
			if !vms.IsCommitted(va) {
				return -linux.EFAULT
			}
			p := pte(va, false)
			if p == 0 || *word(p)&pteP == 0 {
				return -linux.EFAULT // module text is present by the time it is patched
			}
		}
	}
	x86.Lcr0(x86.Rcr0() &^ cr0WP)
	copyMem(uintptr(dst), uintptr(src), uintptr(n))
	x86.Lcr0(x86.Rcr0() | cr0WP)
	return int32(n)
}
