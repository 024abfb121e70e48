package shim

import (
	"gojos/kern/abi/linux"
	"gojos/kern/arch/x86"
)

// Memory system calls: anonymous private mappings in the mmap window
// (vm_386.go). Committed pages are demand-zero; MADV_DONTNEED frees their
// frames so that the next touch reads zeros, as the scavenger requires.

func sysMmap2(addr, length, prot, flags, fd uint32) int32 {
	if flags&linux.MAP_ANONYMOUS == 0 || flags&linux.MAP_TYPE != linux.MAP_PRIVATE {
		logUnsupported("mmap2 flags (only anonymous private mappings)", flags)
		return -linux.ENODEV
	}
	if length == 0 {
		return -linux.EINVAL
	}
	fixed := flags&linux.MAP_FIXED != 0
	if fixed {
		if addr&(pageSize-1) != 0 || addr < winLo || addr+length > winHi || addr+length < addr {
			return -linux.EINVAL
		}
		// Free the replaced frames only once the mapping is sure to be
		// made (it fails when vms would need too many runs).
		if e := vms.CheckMapFixed(addr, length, prot); e != 0 {
			return -e
		}
		releasePages(addr, length)
	}
	got, errno := vms.Map(addr, length, prot, fixed)
	if errno != 0 {
		return -errno
	}
	return int32(got)
}

func sysMunmap(addr, length uint32) int32 {
	if addr&(pageSize-1) != 0 || length == 0 {
		return -linux.EINVAL
	}
	if addr < winLo || addr >= winHi {
		return -linux.EINVAL
	}
	if e := vms.CheckUnmap(addr, length); e != 0 {
		return -e // nothing freed
	}
	releasePages(addr, length)
	return -vms.Unmap(addr, length)
}

func sysMadvise(addr, length, advice uint32) int32 {
	if addr&(pageSize-1) != 0 {
		return -linux.EINVAL
	}
	switch advice {
	case linux.MADV_DONTNEED, linux.MADV_FREE:
		if addr < winLo || addr >= winHi {
			return -linux.EINVAL
		}
		if e := vms.CheckMapped(addr, length); e != 0 {
			return -e
		}
		releasePages(addr, length) // pages stay committed: they refault as zeros
	}
	return 0
}

// sysMprotect changes page protections. Making pages inaccessible drops
// their contents (a deviation from Linux the runtime never notices: it only
// uses mmap(MAP_FIXED) for that); making them read-only write-protects them.
func sysMprotect(addr, length, prot uint32) int32 {
	if addr&(pageSize-1) != 0 || addr < winLo || addr >= winHi {
		return -linux.EINVAL
	}
	if e := vms.Protect(addr, length, prot); e != 0 {
		return -e
	}
	if prot&(linux.PROT_READ|linux.PROT_WRITE|linux.PROT_EXEC) == 0 {
		releasePages(addr, length)
		return 0
	}
	end := (addr + length + pageSize - 1) &^ (pageSize - 1)
	for va := addr; va < end && va >= addr; va += pageSize {
		if p := pte(va, false); p != 0 && *word(p)&pteP != 0 {
			if prot&linux.PROT_WRITE != 0 {
				*word(p) |= pteW
			} else {
				*word(p) &^= pteW
			}
			x86.Invlpg(va)
		}
	}
	return 0
}
