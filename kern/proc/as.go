package proc

import (
	"errors"
	"sync"
	"sync/atomic"
	"unsafe"

	"gojos/kern/abi/linux"
	"gojos/kern/mm"
)

// User address space layout: [UserLo, UserHi) is the process's; the kernel
// half above it is shared by every address space (supervisor-only pages).
const (
	UserLo    = 0x00400000         // below: unmapped, so nil dereferences fault
	UserHi    = linux.KernelWindow // above: the kernel's mmap window, image and direct map
	StackTop  = UserHi - 0x10000   // the vDSO's two pages above it (vdso.go)
	StackSize = 8 << 20

	pteP = 1
	pteW = 2
	pteU = 4
	page = 4096
)

// AddressSpace is a process's page directory and its mappings.
type AddressSpace struct {
	mu  sync.Mutex
	PD  uint32 // physical address of the page directory
	vm  *mm.VMSpace
	brk uint32
	// page-table frames, for freeing
	tables []uint32
	// resident counts the frames the address space holds (pages and page
	// tables): the OOM killer's measure of a process's size.
	resident int
	// limits: RLIMIT_AS and RLIMIT_DATA in bytes (rlimInfinity: none)
	limitAS, limitData uint64
	// tlb is the TLB word the trap tier takes at each entry to user
	// space (linux.UserContext.Flush): set by staleTLB.
	tlb atomic.Uint32
}

// staleTLB records that a page-table entry that may be cached changed (a
// page unmapped, write-protected or replaced), so that the next entry to
// user space reloads the page directory: the trap tier leaves it loaded
// from trap to trap. Call it after the change and before the frame it
// mapped is freed: an entry in between may still see the old frame, which
// then still belongs to the process.
func (as *AddressSpace) staleTLB() { as.tlb.Store(1) }

// TLBWord is the address of as's TLB word, for linux.UserContext.Flush.
func (as *AddressSpace) TLBWord() uint32 { return uint32(uintptr(unsafe.Pointer(&as.tlb))) }

// kernelPD is the kernel page directory whose entries from UserHi up every
// address space shares (Deps.KernelPD).
var kernelPD uint32

// NewAddressSpace returns an empty address space.
func NewAddressSpace() (*AddressSpace, error) {
	pd, err := palloc()
	if err != nil {
		return nil, err
	}
	for i := uint32(UserHi >> 22); i < 1024; i++ {
		*physWord(pd, i) = *physWord(kernelPD, i)
	}
	as := &AddressSpace{PD: pd, vm: new(mm.VMSpace), resident: 1, limitAS: rlimInfinity, limitData: rlimInfinity}
	if !as.vm.Init(UserLo, UserHi) {
		pfree(pd)
		return nil, errors.New("VMSpace.Init failed")
	}
	return as, nil
}

// pte returns the physical frame and index of va's page-table entry.
func (as *AddressSpace) pte(va uint32, create bool) (pt uint32, idx uint32, err error) {
	pde := physWord(as.PD, va>>22)
	if *pde&pteP == 0 {
		if !create {
			return 0, 0, ErrFault
		}
		t, err := palloc()
		if err != nil {
			return 0, 0, err
		}
		as.tables = append(as.tables, t)
		as.resident++
		*pde = t | pteP | pteW | pteU
	}
	return *pde &^ 0xFFF, va >> 12 & 0x3FF, nil
}

// mapped returns the frame of va's present page-table entry, if there is
// one that allows the access. A present entry answers for itself: the page
// tables follow the mappings (munmap, PROT_NONE and MAP_FIXED release
// entries, mprotect clears or sets W, a shared frame is never writable),
// so a present entry is readable, and writable when W is set on a private
// frame. Only a missing page or a write to a read-only entry needs the
// mappings asked.
func (as *AddressSpace) mapped(va uint32, write bool) (uint32, bool) {
	if pde := *physWord(as.PD, va>>22); pde&pteP != 0 {
		if e := *physWord(pde&^0xFFF, va>>12&0x3FF); e&pteP != 0 && (!write || e&(pteW|pteShared) == pteW) {
			return e &^ 0xFFF, true
		}
	}
	return 0, false
}

// frame returns the frame mapped at va, faulting it in if va is committed.
func (as *AddressSpace) frame(va uint32, write bool) (uint32, error) {
	if va < UserLo || va >= UserHi {
		return 0, ErrFault
	}
	if f, ok := as.mapped(va, write); ok {
		return f, nil
	}
	s := as.vm.State(va) // one search for both questions
	if s != mm.StateCommitted && (write || s != mm.StateCommittedRO) {
		return 0, ErrFault
	}
	pt, i, err := as.pte(va, true)
	if err != nil {
		return 0, err
	}
	e := physWord(pt, i)
	if write && *e&pteShared != 0 {
		if err := as.privatize(e); err != nil {
			return 0, err
		}
	}
	if *e&pteP == 0 {
		f, err := palloc()
		if err != nil {
			return 0, err
		}
		as.resident++
		*e = f | pteP | pteU
		if s == mm.StateCommitted {
			*e |= pteW
		}
	}
	return *e &^ 0xFFF, nil
}

// Fault handles a page fault at va: nil when the page is now mapped,
// ErrFault when the access is illegal, ENOMEM when no frame was left for
// it.
func (as *AddressSpace) Fault(va uint32, write bool) error {
	as.mu.Lock()
	defer as.mu.Unlock()
	va &^= page - 1
	_, present := as.mapped(va, false)
	_, err := as.frame(va, write)
	if err == nil && !present {
		as.mapAround(va)
	}
	return err
}

// faultAround is how many pages after a missing one a fault maps with it.
// A Go program's start touches its heap and data in runs: of a command's
// 92 faults, 52 were the page after one faulted in just before, and with
// three pages mapped ahead a command takes 41 faults and maps about 45
// pages it never touches.
const faultAround = 3

// mapAround maps zero-filled frames at the pages that follow va, up to
// faultAround of them in va's page table, while they are committed
// read-write, missing, and frames are left; a page already present (or
// anything else) ends the run. A frame it cannot get is no error: the
// page is then faulted in when touched, as without this.
func (as *AddressSpace) mapAround(va uint32) {
	for i := uint32(1); i <= faultAround; i++ {
		next := va + i*page
		if next >= UserHi || next>>22 != va>>22 {
			return
		}
		pt, idx, err := as.pte(next, false) // va's table: present
		if err != nil {
			return
		}
		e := physWord(pt, idx)
		if *e&pteP != 0 || as.vm.State(next) != mm.StateCommitted {
			return
		}
		f, err := palloc()
		if err != nil {
			return
		}
		as.resident++
		*e = f | pteP | pteU | pteW
	}
}

// Resident returns the number of frames the address space holds.
func (as *AddressSpace) Resident() int {
	as.mu.Lock()
	defer as.mu.Unlock()
	return as.resident
}

// release unmaps and frees the frames in [addr, addr+n), clipped to the
// user part of the address space: the kernel's page-directory entries,
// shared by every address space, are never walked (a hostile munmap range
// once made it free the kernel's own frames). Shared frames (pteShared) are
// never freed; keepShared leaves them mapped.
func (as *AddressSpace) release(addr, n uint32) { as.releasePages(addr, n, false) }

func (as *AddressSpace) releasePages(addr, n uint32, keepShared bool) {
	end := addr + n
	if end < addr || end > UserHi {
		end = UserHi
	}
	if addr < UserLo {
		addr = UserLo
	}
	// A page table at a time (end <= UserHi, so the 4 MiB steps cannot
	// wrap): the directory entry is read once, and the table's entries in
	// the range are scanned in one loop — an exit walks every table the
	// process had, mostly empty entries.
	// The frames go back in batches: one trap-tier call each, not one per
	// frame (an exit frees a hundred and more).
	var batch [64]uint32
	nb := 0
	defer func() { pfreev(batch[:nb]) }()
	for va := addr &^ (page - 1); va < end; va = (va>>22 + 1) << 22 {
		pde := *physWord(as.PD, va>>22)
		if pde&pteP == 0 {
			continue
		}
		t := physTable(pde)
		last := min(end-1, va|(4<<20-1)) >> 12 & 0x3FF
		for i := va >> 12 & 0x3FF; i <= last; i++ {
			// Most entries are empty (the runtime reserves far more than
			// it touches): pass over them eight at a time.
			if i&7 == 0 && i+7 <= last && t[i]|t[i+1]|t[i+2]|t[i+3]|t[i+4]|t[i+5]|t[i+6]|t[i+7] == 0 {
				i += 7
				continue
			}
			e := &t[i]
			if *e&pteP == 0 || keepShared && *e&pteShared != 0 {
				continue
			}
			f := *e
			*e = 0
			as.staleTLB()
			if f&pteShared == 0 {
				if nb == len(batch) {
					pfreev(batch[:nb])
					nb = 0
				}
				batch[nb] = f &^ 0xFFF
				nb++
			}
			as.resident--
		}
	}
}

// Map creates an anonymous mapping (Linux mmap2 semantics).
func (as *AddressSpace) Map(hint, n, prot uint32, fixed bool) (uint32, int32) {
	as.mu.Lock()
	defer as.mu.Unlock()
	if e := as.checkLimits(n, prot); e != 0 {
		return 0, e
	}
	if fixed {
		if hint < UserLo || hint+n > UserHi || hint+n < hint {
			return 0, linux.ENOMEM
		}
		// Free the replaced frames only once the mapping is sure to be
		// made (it fails when the VMSpace would need too many runs).
		if e := as.vm.CheckMapFixed(hint, n, prot); e != 0 {
			return 0, e
		}
		as.release(hint, n)
	}
	return as.vm.Map(hint, n, prot, fixed)
}

// Unmap removes mappings; when it fails nothing is freed.
func (as *AddressSpace) Unmap(addr, n uint32) int32 {
	as.mu.Lock()
	defer as.mu.Unlock()
	if e := as.vm.CheckUnmap(addr, n); e != 0 {
		return e
	}
	as.release(addr, n)
	return as.vm.Unmap(addr, n)
}

// Discard implements MADV_DONTNEED: private pages read as zeros again;
// shared ones (program text, the vDSO) keep their contents, as Linux's
// re-read of a file page would give.
func (as *AddressSpace) Discard(addr, n uint32) int32 {
	as.mu.Lock()
	defer as.mu.Unlock()
	if e := as.vm.CheckMapped(addr, n); e != 0 {
		return e
	}
	as.releasePages(addr, n, true)
	return 0
}

// Protect changes protections (contents of pages made inaccessible are
// dropped).
func (as *AddressSpace) Protect(addr, n, prot uint32) int32 {
	as.mu.Lock()
	defer as.mu.Unlock()
	if e := as.vm.Protect(addr, n, prot); e != 0 {
		return e
	}
	if prot&(linux.PROT_READ|linux.PROT_WRITE|linux.PROT_EXEC) == 0 {
		as.release(addr, n)
		return 0
	}
	for va := addr; va < addr+n && va >= addr; va += page {
		pt, i, err := as.pte(va, false)
		if err != nil {
			continue
		}
		if e := physWord(pt, i); *e&pteP != 0 {
			if prot&linux.PROT_WRITE != 0 {
				if *e&pteShared != 0 {
					if err := as.privatize(e); err != nil {
						return errno(err)
					}
				}
				*e |= pteW
			} else {
				*e &^= pteW
				as.staleTLB()
			}
		}
	}
	return 0
}

// copy moves bytes between b and user memory at va.
func (as *AddressSpace) copy(va uint32, b []byte, out bool) error {
	as.mu.Lock()
	defer as.mu.Unlock()
	if uint64(va)+uint64(len(b)) > UserHi {
		return ErrFault
	}
	for len(b) > 0 {
		f, err := as.frame(va&^(page-1), out)
		if err != nil {
			if errors.Is(err, linux.Errno(linux.ENOMEM)) {
				return err
			}
			return ErrFault
		}
		off := va & (page - 1)
		n := copy2(phys(f)[off:], b, out)
		b = b[n:]
		va += uint32(n)
	}
	return nil
}

func copy2(frame []byte, b []byte, out bool) int {
	if out {
		return copy(frame, b)
	}
	return copy(b, frame)
}

// CopyOut writes b to user memory at va.
func (as *AddressSpace) CopyOut(va uint32, b []byte) error { return as.copy(va, b, true) }

// CopyIn reads len(b) bytes of user memory at va.
func (as *AddressSpace) CopyIn(va uint32, b []byte) error { return as.copy(va, b, false) }

// ReadString reads a NUL-terminated string of fewer than max bytes, a page
// at a time (cstring.go).
func (as *AddressSpace) ReadString(va uint32, max int) (string, error) {
	as.mu.Lock()
	defer as.mu.Unlock()
	return readCString(va, max, func(va uint32) ([]byte, error) {
		if va >= UserHi {
			return nil, ErrFault
		}
		f, err := as.frame(va&^(page-1), false)
		if err != nil {
			if errors.Is(err, linux.Errno(linux.ENOMEM)) {
				return nil, err
			}
			return nil, ErrFault
		}
		return phys(f)[va&(page-1):], nil
	})
}

// Destroy frees every frame of the address space.
func (as *AddressSpace) Destroy() {
	as.mu.Lock()
	defer as.mu.Unlock()
	as.release(UserLo, UserHi-UserLo)
	for t := as.tables; len(t) > 0; {
		n := min(len(t), linux.PfreevMax)
		pfreev(t[:n])
		t = t[n:]
	}
	as.tables = nil
	pfree(as.PD)
	as.PD = 0
	as.resident = 0
}
