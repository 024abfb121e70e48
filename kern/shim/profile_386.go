package shim

import "gojos/kern/abi/linux"

// The kernel's sampling profiler: while it is on, every timer tick records
// where the CPU was — the pc of the kernel's Go code (or of module code) it
// interrupted, or linux.ProfileUser / linux.ProfileIdle — in a fixed
// buffer that SYS_gojos_profile hands to the kernel (kern/kmain turns it
// into /proc/kprofile). Off until that call first asks for it, or from boot
// with the kernel command line word "kprofile"; then one store per tick.
var profile struct {
	on      bool
	n       uint32
	dropped uint32
	pcs     [linux.ProfileMaxSamples]uint32
}

// profileSample records pc if the profiler is on.
func profileSample(pc uint32) {
	if !profile.on {
		return
	}
	if profile.n >= uint32(len(profile.pcs)) {
		profile.dropped++
		return
	}
	profile.pcs[profile.n] = pc
	profile.n++
}

// sysGojosProfile copies the samples taken since the last call (at most n;
// the rest are dropped) to buf, restarts the buffer, turns the profiler on
// (off with n == 0) and returns how many it copied.
func sysGojosProfile(buf, n uint32) int32 {
	if n > uint32(len(profile.pcs)) {
		n = uint32(len(profile.pcs))
	}
	if n > 0 && !validRange(buf, n*4, true) {
		return -linux.EFAULT
	}
	k := profile.n
	if k > n {
		k = n
	}
	for i := uint32(0); i < k; i++ {
		put32(uintptr(buf)+uintptr(i)*4, profile.pcs[i])
	}
	profile.n, profile.dropped = 0, 0
	profile.on = n > 0
	return int32(k)
}
