package klog

import (
	"fmt"
	"syscall"
	"unsafe"
)

// Log levels, as Linux's KERN_EMERG … KERN_DEBUG.
const (
	Emerg   = 0
	Alert   = 1
	Crit    = 2
	Err     = 3
	Warning = 4
	Notice  = 5
	Info    = 6
	Debug   = 7
)

// Default levels of what reaches the log without a level prefix.
const (
	StdoutLevel  = Notice  // the kernel's standard output: its own messages
	StderrLevel  = Err     // the kernel's standard error: the runtime's panics
	KprintfLevel = Warning // a module's kprintf (Linux's default message level)
)

// Kernel is the kernel's log. The trap tier appends what the kernel's Go
// code writes to its standard output and error; module kprintf appends
// directly. User processes' console output does not reach it.
var Kernel Ring

// Printf logs one message at level: it goes through the kernel's standard
// output with a KERN_SOH level prefix, so it is echoed to the console only
// when the level is below the console level.
func Printf(level int, format string, args ...any) {
	Print(level, fmt.Sprintf(format, args...))
}

// Print logs text (whole lines) at level, as Printf does, in one write
// system call made directly: the kernel's standard output never blocks
// (the trap tier appends to the ring, interrupts off), so the runtime's
// system-call bookkeeping and os.File's locking only cost time (about 2 µs
// of each logged patch under TCG).
func Print(level int, text string) { PrintParts(level, text) }

// PrintParts is Print of the parts' concatenation, joined in the write's
// buffer instead of a string of their own.
func PrintParts(level int, parts ...string) {
	n := 2
	for _, p := range parts {
		n += len(p)
	}
	var buf [160]byte // most lines: no allocation
	b := buf[:0]
	if n > len(buf) {
		b = make([]byte, 0, n)
	}
	b = append(b, soh, '0'+byte(level&7))
	for _, p := range parts {
		b = append(b, p...)
	}
	syscall.RawSyscall(syscall.SYS_WRITE, 1, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
}
