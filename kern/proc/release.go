package proc

// The kernel's release, as uname -r and /proc/sys/kernel/osrelease show
// it. utsRelease is a real kernel function a user sees the effect of, and
// one whose signature maps to C: //tests:kpatch_any patches it with another
// kernel function and with a C function of a module (modules/release).

// utsRelease writes the release text into buf and returns its length.
//
//go:noinline
func utsRelease(buf *[65]byte) int32 {
	return int32(copy(buf[:], "0.1"))
}

// Release is the release text (at most 64 bytes, whatever utsRelease, or
// what replaces it, returns).
func Release() []byte {
	var buf [65]byte
	n := utsRelease(&buf)
	if n < 0 || n > 64 {
		n = 0
	}
	return buf[:n]
}
