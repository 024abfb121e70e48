package proc

import "gojos/kern/abi/linux"

// Memory system calls of user processes: mmap2, munmap, madvise (mprotect
// and brk are answered in the table, the limits in rlimit.go).

func (t *Thread) sysMmap2(a *args) int32 {
	addr, n, prot, flags := a[0], a[1], a[2], a[3]
	if flags&linux.MAP_ANONYMOUS == 0 || flags&linux.MAP_TYPE != linux.MAP_PRIVATE {
		return -linux.ENODEV // file mappings: not supported
	}
	if n == 0 {
		return -linux.EINVAL
	}
	got, e := t.P.as.Map(addr, n, prot, flags&linux.MAP_FIXED != 0)
	if e != 0 {
		return -e
	}
	return int32(got)
}

// sysMunmap: Linux's checks, before any page is touched: the range must be
// page-aligned, non-empty and inside user space.
func (t *Thread) sysMunmap(addr, n uint32) int32 {
	if addr&(page-1) != 0 || n == 0 || !userRange(addr, n) {
		return -linux.EINVAL
	}
	return -t.P.as.Unmap(addr, n)
}

func (t *Thread) sysMadvise(addr, n, advice uint32) int32 {
	if advice == linux.MADV_DONTNEED || advice == linux.MADV_FREE {
		return -t.P.as.Discard(addr, n)
	}
	return 0
}
