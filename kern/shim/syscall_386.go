package shim

import (
	"gojos/kern/abi/linux"
	"gojos/kern/abi/systab"
	"gojos/kern/arch/x86"
)

// syscall dispatches the INT $0x80 in tf through the table Syscalls:
// number in EAX, arguments in EBX, ECX, EDX, ESI, EDI, EBP, result (or
// -errno) back in EAX. Handlers that block leave the result in the frame
// and make the thread not runnable; schedule() then picks another thread.
func syscall(tf *x86.TrapFrame) {
	nr := tf.Eax
	a := args{tf.Ebx, tf.Ecx, tf.Edx, tf.Esi, tf.Edi, tf.Ebp}
	keepEax = false
	r := int32(-linux.ENOSYS)
	if i := systab.Find(Syscalls[:], nr); i >= 0 {
		r = Syscalls[i].Fn(tf, a)
	} else {
		logSyscall("unimplemented syscall", nr)
	}
	if !keepEax {
		tf.Eax = uint32(r)
	}
	if trace {
		traceSyscall(nr, a[0], a[1], a[2], int32(tf.Eax))
	}
}

// keepEax is set by handlers that leave EAX as it is: rt_sigreturn, and a
// blocking call that will be restarted (restartSyscall).
var keepEax bool

// restartSyscall makes the thread execute its INT $0x80 again when it next
// runs (EIP back over the 2-byte instruction, EAX = the number): how a
// blocked read or epoll wait re-checks its condition after a wake-up.
func restartSyscall(tf *x86.TrapFrame, nr uint32) {
	tf.Eip -= 2
	tf.Eax = nr
	keepEax = true
}

// trace is set by "trace" on the kernel command line: every system call is
// printed with its arguments and result.
var trace bool

func traceSyscall(nr, a0, a1, a2 uint32, r int32) {
	puts("sys ")
	putDec(uint64(nr))
	puts(" ")
	puts(syscallName(nr))
	puts("(")
	putHex(a0)
	puts(", ")
	putHex(a1)
	puts(", ")
	putHex(a2)
	puts(") = ")
	putInt(int64(r))
	puts("\n")
}

// logSyscall prints one line about a system call the kernel does not
// implement; it never stops the kernel.
func logSyscall(what string, nr uint32) {
	puts("gojos: ")
	puts(what)
	puts(" ")
	putDec(uint64(nr))
	puts(" (")
	puts(syscallName(nr))
	puts("): -ENOSYS\n")
}

func logUnsupported(what string, v uint32) {
	puts("gojos: unsupported ")
	puts(what)
	puts(" ")
	putHex(v)
	puts("\n")
}
