//go:build !386 && !amd64

package fault

func divide(a, b uint32) uint32 { panic(errNoAsm) }

func illegal() error { return errNoAsm }
