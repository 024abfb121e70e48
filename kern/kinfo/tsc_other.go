//go:build !386

package kinfo

// TSC is 0 off i386: the kernel only runs there; host tests use fixed values.
func TSC() uint64 { return 0 }
