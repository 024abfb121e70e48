package kmain

import "runtime/debug"

// The kernel's garbage-collector policy. Every user program's start
// allocates kernel memory (its address space, files, the exec's buffers),
// and with Go's default GOGC=100 over a live heap of a few MiB the kernel
// collected about once per command — tens of milliseconds each under
// emulation, on the one CPU the command runs on. A machine with room to
// spare lets the heap grow further between collections instead; a small
// one keeps the default, since a bigger heap goal there would take frames
// user programs need.
const (
	// gcRoomyKiB is the free memory at boot from which the kernel uses
	// gcRoomyPercent.
	gcRoomyKiB     = 64 << 10
	gcRoomyPercent = 400
	// gcLimitShare: the runtime's memory limit is this share of the free
	// memory at boot (the limit wins over the percentage when they
	// disagree: the heap never takes more than it).
	gcLimitShare = 4
)

// gcPolicy returns the GC percentage and the soft memory limit (bytes) for
// a machine with freeKiB of memory free at boot; ok is false when the
// runtime's defaults apply.
func gcPolicy(freeKiB uint32) (percent int, limit int64, ok bool) {
	if freeKiB < gcRoomyKiB {
		return 0, 0, false
	}
	return gcRoomyPercent, int64(freeKiB) << 10 / gcLimitShare, true
}

// tuneGC applies gcPolicy.
func tuneGC(freeKiB uint32) {
	if percent, limit, ok := gcPolicy(freeKiB); ok {
		debug.SetMemoryLimit(limit)
		debug.SetGCPercent(percent)
	}
}

// warmPatching tells whether the kernel loads live patching's tables before
// it starts the shell (kpatch.Warm), which keeps about a MiB
// of kernel heap whether or not anything is patched: only with as much
// free memory as gcPolicy's roomy machines.
func warmPatching(freeKiB uint32) bool { return freeKiB >= gcRoomyKiB }
