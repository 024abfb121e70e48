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

// sysSetThreadArea installs the calling thread's TLS descriptor. gojos has
// one TLS slot (GDT entry x86.TLSEntry); entry_number -1 asks for it.
func sysSetThreadArea(uinfo uint32) int32 {
	if !validRange(uinfo, 16, true) {
		return -linux.EFAULT
	}
	entry := int32(get32(uintptr(uinfo)))
	if entry == -1 {
		entry = x86.TLSEntry
		put32(uintptr(uinfo), uint32(entry))
	}
	if entry != x86.TLSEntry {
		return -linux.EINVAL
	}
	desc, ok := x86.TLSDesc(get32(uintptr(uinfo)+4), get32(uintptr(uinfo)+8), get32(uintptr(uinfo)+12))
	if !ok {
		return -linux.EINVAL
	}
	kthreads[sch.Current()].tls = desc
	x86.SetTLS(desc)
	return 0
}

// sysSchedGetaffinity reports one CPU.
func sysSchedGetaffinity(size, mask uint32) int32 {
	if size < 4 {
		return -linux.EINVAL
	}
	if !validRange(mask, 4, true) {
		return -linux.EFAULT
	}
	put32(uintptr(mask), 1)
	return 4
}

func sysExitGroup(code int32) {
	puts("gojos: kernel exited with status ")
	putInt(int64(code))
	puts("\n")
	qemuExit(uint32(code))
}

// sysUname fills struct utsname: six 65-byte strings.
func sysUname(buf uint32) int32 {
	if !validRange(buf, 6*65, true) {
		return -linux.EFAULT
	}
	fields := [6]string{"gojos", "gojos", "0.1", "gojos 0.1", "i686", "(none)"}
	for i, f := range fields {
		p := uintptr(buf) + uintptr(i)*65
		for j := 0; j < 65; j++ {
			c := byte(0)
			if j < len(f) {
				c = f[j]
			}
			*(*byte)(ptr(p + uintptr(j))) = c
		}
	}
	return 0
}

// sysGetrandom fills buf with bytes from a TSC-seeded xorshift generator:
// fine for hash seeds, not for keys.
func sysGetrandom(buf, n uint32) int32 {
	if !validRange(buf, n, true) {
		return -linux.EFAULT
	}
	for i := uint32(0); i < n; i++ {
		*(*byte)(ptr(uintptr(buf + i))) = byte(random())
	}
	return int32(n)
}

var rngState uint64

func random() uint64 {
	if rngState == 0 {
		rngState = x86.Tsc() | 1
	}
	rngState ^= rngState << 13
	rngState ^= rngState >> 7
	rngState ^= rngState << 17
	return rngState
}
