package shim

import (
	"gojos/kern/abi/linux"
	"gojos/kern/arch/x86"
	"gojos/kern/procinfo"
)

// System information for the runtime: uname, getrandom.

// sysUname fills struct utsname: six 65-byte strings.
func sysUname(buf uint32) int32 {
	if !validRange(buf, 6*65, true) {
		return -linux.EFAULT
	}
	// The runtime's answer has no Go version in it (it would be the
	// runtime's own variable); the rest is kern/procinfo's.
	fields := [6]string{procinfo.Sysname, procinfo.Sysname, procinfo.Release,
		procinfo.Sysname + " " + procinfo.Release, procinfo.Machine, procinfo.Domainname}
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
