// Package signal is the Linux i386 signal ABI both tiers of the kernel
// deliver with: kern/shim for the kernel's own Go runtime, kern/proc for
// user programs. It reads and writes struct sigaction and stack_t, builds
// and reads the rt_sigframe a handler runs on, picks the next signal to
// deliver, and maps a CPU trap to the signal Linux sends for it.
//
// Everything works on caller-provided byte slices and plain values: no
// allocation, no state, no runtime services, so the trap tier (which may
// not allocate) can call it on memory it addresses directly, kern/proc on a
// buffer it copies to user memory, and host tests on either.
package signal

import "gojos/kern/abi/linux"

func le32(b []byte) uint32 {
	_ = b[3]
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

func put32(b []byte, v uint32) {
	_ = b[3]
	b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
}

// Bit is sig's bit in a signal mask.
func Bit(sig int) uint64 { return 1 << uint(sig-1) }

// Unblockable are the signals no mask can block (SIGKILL, SIGSTOP).
const Unblockable = linux.SigUnblockable

// Valid reports whether sig is a signal number kill, tgkill and tkill
// accept: 0 (the existence check) to 64. The ABI's signal argument is
// unsigned, so 0x80000000 is not a negative number but an invalid one.
func Valid(sig uint32) bool { return sig <= linux.NSIG }

// DefaultIgnored reports whether sig's default action is to ignore it.
func DefaultIgnored(sig int) bool {
	switch sig {
	case linux.SIGCHLD, linux.SIGCONT, linux.SIGURG, linux.SIGWINCH:
		return true
	}
	return false
}

// Next returns the lowest signal in ready (0 if none): signals are
// delivered lowest number first, as Linux does for standard signals.
func Next(ready uint64) int {
	if ready == 0 {
		return 0
	}
	sig := 1
	for ready&1 == 0 {
		ready >>= 1
		sig++
	}
	return sig
}

// Action is one struct sigaction.
type Action struct {
	Handler, Flags, Restorer uint32
	Mask                     uint64
}

// GetAction decodes a struct sigaction (linux.SigactionSize bytes).
func GetAction(b []byte) Action {
	_ = b[linux.SigactionSize-1]
	return Action{
		Handler:  le32(b[linux.SaHandler:]),
		Flags:    le32(b[linux.SaFlags:]),
		Restorer: le32(b[linux.SaRestorer:]),
		Mask:     uint64(le32(b[linux.SaMask:])) | uint64(le32(b[linux.SaMask+4:]))<<32,
	}
}

// Put encodes a into b (linux.SigactionSize bytes).
func (a Action) Put(b []byte) {
	_ = b[linux.SigactionSize-1]
	put32(b[linux.SaHandler:], a.Handler)
	put32(b[linux.SaFlags:], a.Flags)
	put32(b[linux.SaRestorer:], a.Restorer)
	PutMask(b[linux.SaMask:], a.Mask)
}

// GetMask and PutMask read and write a 64-bit sigset_t (8 bytes).
func GetMask(b []byte) uint64 { return uint64(le32(b)) | uint64(le32(b[4:]))<<32 }

// PutMask writes m as a sigset_t.
func PutMask(b []byte, m uint64) {
	put32(b, uint32(m))
	put32(b[4:], uint32(m>>32))
}

// Stack is a stack_t (sigaltstack).
type Stack struct{ SP, Flags, Size uint32 }

// GetStack decodes a stack_t (linux.StackTSize bytes).
func GetStack(b []byte) Stack {
	_ = b[linux.StackTSize-1]
	return Stack{le32(b[linux.StackSP:]), le32(b[linux.StackFlags:]), le32(b[linux.StackSizeOff:])}
}

// Put encodes s into b (linux.StackTSize bytes).
func (s Stack) Put(b []byte) {
	_ = b[linux.StackTSize-1]
	put32(b[linux.StackSP:], s.SP)
	put32(b[linux.StackFlags:], s.Flags)
	put32(b[linux.StackSizeOff:], s.Size)
}

// Enabled reports whether the alternate stack is set up.
func (s Stack) Enabled() bool { return s.Flags&linux.SS_DISABLE == 0 && s.Size != 0 }

// On reports whether sp is on the alternate stack.
func (s Stack) On(sp uint32) bool { return s.Enabled() && sp > s.SP && sp <= s.SP+s.Size }

// Report is the stack_t sigaltstack reports for s to a thread whose stack
// pointer is sp: SS_DISABLE when there is none, SS_ONSTACK when sp is on it.
func (s Stack) Report(sp uint32) Stack {
	if !s.Enabled() {
		s.Flags = linux.SS_DISABLE
	}
	if s.On(sp) {
		s.Flags |= linux.SS_ONSTACK
	}
	return s
}

// Change applies sigaltstack's new setting ns to the current one (the caller
// has checked that the thread is not running on it): the new value, or the
// errno sigaltstack fails with.
func Change(ns Stack) (Stack, linux.Errno) {
	switch ns.Flags &^ linux.SS_AUTODISARM {
	case linux.SS_DISABLE:
		return Stack{Flags: linux.SS_DISABLE}, 0
	case 0, linux.SS_ONSTACK: // SS_ONSTACK: accepted as 0, as Linux does
	default:
		return Stack{}, linux.EINVAL
	}
	if ns.Size < linux.MINSIGSTKSZ {
		return Stack{}, linux.ENOMEM
	}
	return Stack{SP: ns.SP, Size: ns.Size}, 0
}

// Mask applies rt_sigprocmask's how and set to the mask cur.
func Mask(cur uint64, how uint32, set uint64) (uint64, linux.Errno) {
	switch how {
	case linux.SIG_BLOCK:
		cur |= set
	case linux.SIG_UNBLK:
		cur &^= set
	case linux.SIG_SETMK:
		cur = set
	default:
		return cur, linux.EINVAL
	}
	return cur &^ Unblockable, 0
}
