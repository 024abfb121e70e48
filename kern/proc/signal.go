package proc

import "gojos/kern/abi/linux"

// validSignal reports whether sig is a signal number kill, tgkill and tkill
// accept: 0 (the existence check) to 64. The ABI's signal argument is
// unsigned, so 0x80000000 is not a negative number but an invalid one.
func validSignal(sig uint32) bool { return sig <= linux.NSIG }

// defaultIgnored reports whether sig's default action is to ignore it.
func defaultIgnored(sig int) bool {
	switch sig {
	case linux.SIGCHLD, linux.SIGCONT, linux.SIGURG, linux.SIGWINCH:
		return true
	}
	return false
}
