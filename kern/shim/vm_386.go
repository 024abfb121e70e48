package shim

import (
	"unsafe"

	"gojos/kern/abi/linux"
	"gojos/kern/arch/x86"
	"gojos/kern/bootinfo"
	"gojos/kern/mm"
	"gojos/kern/vdso"
)

// The kernel's virtual memory map (docs/design.md):
//
//	[0, 2 GiB)               user space (kern/proc); nothing in the kernel's
//	                         own page directory: nil and small-offset
//	                         dereferences fault
//	[2 GiB, 3 GiB)           the Go runtime's mmap window: demand-zero pages
//	[3 GiB, 3.25 GiB)        the kernel image at KernBase + its physical
//	                         address, 4 KiB pages: text and read-only data
//	                         write-protected (CR0.WP also binds ring 0-2); the
//	                         lazy tail of its BSS is demand-zero
//	[3.25 GiB, 4 GiB)        all physical memory (direct map, at most 768 MiB)
const (
	kernBase    = bootinfo.KernBase
	directMap   = bootinfo.DirectMap
	winLo       = linux.KernelWindow
	winHi       = kernBase
	directLimit = bootinfo.DirectSize

	pteP  = 1 << 0
	pteW  = 1 << 1
	pteU  = 1 << 2
	ptePS = 1 << 7

	pageSize = linux.PageSize
	cr0WP    = 1 << 16
	cr4PSE   = 1 << 4
	cr4TSD   = 1 << 2 // RDTSC only in ring 0
)

var (
	frames mm.FrameAllocator
	vms    mm.VMSpace
	kpd    uint32 // physical address of the kernel page directory

	// Kernel image bounds (virtual), from the linker.
	kEtext, kErodata, kEnd uintptr
	// kLazy is where the image's lazy BSS begins: the loader backed the
	// image up to here; [kLazy, kEnd) gets zeroed frames on first touch.
	kLazy uintptr
)

func p2v(pa uint32) uintptr { return uintptr(pa) + directMap }

func word(va uintptr) *uint32 { return (*uint32)(unsafe.Pointer(va)) }

func zeroFrame(pa uint32) {
	p := (*[pageSize / 4]uint32)(unsafe.Pointer(p2v(pa)))
	for i := range p {
		p[i] = 0
	}
}

func allocFrame() uint32 {
	pa, ok := frames.Alloc()
	if !ok {
		fatal("out of physical memory", nil)
	}
	return pa
}

// pte returns the page-table entry for va in the kernel page directory,
// creating the page table if create is set; 0 if there is none (or va lies
// in a 4 MiB page).
func pte(va uint32, create bool) uintptr {
	pde := word(p2v(kpd) + uintptr(va>>22)*4)
	if *pde&pteP == 0 {
		if !create {
			return 0
		}
		pt := allocFrame()
		zeroFrame(pt)
		*pde = pt | pteP | pteW
	} else if *pde&ptePS != 0 {
		return 0
	}
	return p2v(*pde&^0xFFF) + uintptr(va>>12&0x3FF)*4
}

// vmInit builds the kernel page tables over the physical memory the
// boot-info describes and switches to them.
func vmInit(bi *bootinfo.Info) {
	var top uint64
	for _, r := range bi.MemMap[:min(bi.MemMapCount, bootinfo.MemMapMax)] {
		if r.Type != bootinfo.MemUsable {
			continue
		}
		end := min(r.Base+r.Length, directLimit)
		if r.Base < end {
			frames.AddFree(r.Base, end)
			top = max(top, end)
		}
	}
	frames.Reserve(0, 0x100000) // real-mode memory, BIOS, the loader's tables
	frames.Reserve(uint64(bi.KernelPhysStart), uint64(bi.LoaderEndPhys))
	kEtext, kErodata, kEnd = x86.KernelLayout()

	kLazy = min(kernBase+uintptr(bi.KernelPhysEnd), kEnd)

	kpd = allocFrame()
	zeroFrame(kpd)
	// The direct map: 4 MiB pages.
	for pa := uint32(0); uint64(pa) < top; pa += 4 << 20 {
		*word(p2v(kpd) + uintptr((pa+directMap)>>22)*4) = pa | pteP | pteW | ptePS
	}
	// The kernel image: 4 KiB pages over the frames the loader filled,
	// text and read-only data read-only; the lazy BSS stays unmapped.
	for va := kernBase + uintptr(bi.KernelPhysStart); va < kLazy; va += pageSize {
		flags := uint32(pteP | pteW)
		if va < kErodata {
			flags = pteP
		}
		*word(pte(uint32(va), true)) = uint32(va-kernBase) | flags
	}
	if !vms.Init(winLo, winHi) {
		fatal("VMSpace.Init failed", nil)
	}
	x86.Lcr4(x86.Rcr4() | cr4PSE)
	x86.Lcr3(kpd)
	x86.Lcr0(x86.Rcr0() | cr0WP)
	setUserReserve()
}

// releasePages unmaps every present page in [addr, addr+length) of the mmap
// window and frees its frame.
func releasePages(addr, length uint32) {
	end := addr + length
	if end < addr || end > winHi {
		end = winHi
	}
	for va := addr &^ (pageSize - 1); va < end; {
		if *word(p2v(kpd) + uintptr(va>>22)*4)&pteP == 0 {
			next := (va + 4<<20) &^ (4<<20 - 1) // no page table: skip it whole
			if next <= va {
				return
			}
			va = next
			continue
		}
		if p := pte(va, false); p != 0 && *word(p)&pteP != 0 {
			pa := *word(p) &^ 0xFFF
			*word(p) = 0
			x86.Invlpg(va)
			frames.Free(pa)
		}
		if va += pageSize; va == 0 {
			return
		}
	}
}

// syncKernelPDE copies the kernel page directory's entry for va into the
// loaded page directory when va lies in the kernel's part of the address
// space and the loaded one — a process's, which got those entries as they
// were when it was made — lacks it (page tables made since: mmap window,
// lazy BSS). It reports whether it copied one. The kernel never removes a
// page table, so a copied entry never goes stale.
func syncKernelPDE(va uint32) bool {
	if va < winLo {
		return false
	}
	cur := x86.Rcr3() &^ 0xFFF
	if cur == kpd {
		return false
	}
	k := *word(p2v(kpd) + uintptr(va>>22)*4)
	d := word(p2v(cur) + uintptr(va>>22)*4)
	if k&pteP == 0 || *d&pteP != 0 {
		return false // (a present entry is the same page table: its accessed bit may differ)
	}
	*d = k
	return true
}

// demandFault maps a zeroed frame at va if va lies in a committed page of
// the mmap window, or in the kernel image's lazy BSS, that is not present
// yet, or makes the loaded page directory see the kernel's page table for
// va (syncKernelPDE). It reports whether it did either.
func demandFault(va uint32, write bool) bool {
	if syncKernelPDE(va) {
		return true
	}
	lazy := uintptr(va) >= kLazy&^(pageSize-1) && uintptr(va) < kEnd
	if !lazy && (va < winLo || va >= winHi || !vms.IsCommitted(va)) {
		return false
	}
	writable := lazy || vms.IsWritable(va)
	if write && !writable {
		return false
	}
	p := pte(va, true)
	if *word(p)&pteP != 0 {
		return false // present: a protection fault
	}
	pa := allocFrame()
	zeroFrame(pa)
	flags := uint32(pteP)
	if writable {
		flags |= pteW
	}
	*word(p) = pa | flags
	syncKernelPDE(va) // the page table may be new
	return true
}

// validRange reports whether ring-1 code may hand the kernel [addr,
// addr+n) for reading (or writing): committed pages of the mmap window, or
// the kernel image's data (its text and read-only data, and the vDSO's
// write-protected pages inside its BSS, only for reading).
func validRange(addr, n uint32, write bool) bool {
	if n == 0 {
		return true
	}
	end := addr + n
	if end < addr {
		return false
	}
	if addr >= winLo && end <= winHi {
		return vms.RangeCommitted(addr, end, write)
	}
	lo := uintptr(kernBase + bootinfo.KernelLoad)
	if write {
		lo = kErodata
		if vdsoVA != 0 && uintptr(addr) < vdsoVA+vdso.Size && uintptr(end) > vdsoVA {
			return false
		}
	}
	return uintptr(addr) >= lo && uintptr(end) <= kEnd
}
