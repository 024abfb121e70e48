package shim

import (
	"gojos/kern/abi/linux"
	"gojos/kern/arch/x86"
)

// syscall dispatches the INT $0x80 in tf: number in EAX, arguments in EBX,
// ECX, EDX, ESI, EDI, EBP, result (or -errno) back in EAX. Handlers that
// block leave the result in the frame and make the thread not runnable;
// schedule() then picks another thread.
func syscall(tf *x86.TrapFrame) {
	nr := tf.Eax
	a0, a1, a2, a3 := tf.Ebx, tf.Ecx, tf.Edx, tf.Esi
	var r int32
	keepEax = false
	switch nr {
	case linux.SYS_read:
		r = sysRead(tf, int32(a0), a1, a2)
	case linux.SYS_write:
		r = sysWrite(int32(a0), a1, a2)
	case linux.SYS_open, linux.SYS_openat:
		r = -linux.ENOENT // the runtime probes /sys and /proc files; none here
	case linux.SYS_close:
		r = sysClose(int32(a0))
	case linux.SYS_fcntl, linux.SYS_fcntl64:
		r = sysFcntl(int32(a0), a1)
	case linux.SYS_brk:
		r = 0 // no data segment to grow: the runtime then uses mmap only
	case linux.SYS_mmap2:
		r = sysMmap2(a0, a1, a2, a3, tf.Edi)
	case linux.SYS_munmap:
		r = sysMunmap(a0, a1)
	case linux.SYS_madvise:
		r = sysMadvise(a0, a1, a2)
	case linux.SYS_mprotect:
		r = sysMprotect(a0, a1, a2)
	case linux.SYS_clone:
		r = sysClone(tf)
	case linux.SYS_exit:
		sysExitThread()
		return
	case linux.SYS_exit_group:
		sysExitGroup(int32(a0))
	case linux.SYS_set_thread_area:
		r = sysSetThreadArea(a0)
	case linux.SYS_gettid:
		r = sch.Tid(sch.Current())
	case linux.SYS_getpid, linux.SYS_getppid:
		r = 1
	case linux.SYS_sched_yield:
		needResched = true
	case linux.SYS_sched_getaffinity:
		r = sysSchedGetaffinity(a1, a2)
	case linux.SYS_futex, linux.SYS_futex_time64:
		r = sysFutex(tf, a0, a1, a2, a3, nr == linux.SYS_futex_time64)
	case linux.SYS_nanosleep:
		r = sysNanosleep(tf, a0)
	case linux.SYS_clock_gettime:
		r = sysClockGettime(int32(a0), a1, false)
	case linux.SYS_clock_gettime64:
		r = sysClockGettime(int32(a0), a1, true)
	case linux.SYS_gettimeofday:
		r = sysGettimeofday(a0)
	case linux.SYS_rt_sigaction:
		r = sysRtSigaction(int(a0), a1, a2, a3)
	case linux.SYS_rt_sigprocmask:
		r = sysRtSigprocmask(int(a0), a1, a2, a3)
	case linux.SYS_sigaltstack:
		r = sysSigaltstack(a0, a1, tf)
	case linux.SYS_rt_sigreturn:
		sysRtSigreturn(tf)
		keepEax = true
	case linux.SYS_tgkill:
		r = sysTgkill(int32(a1), int(a2))
	case linux.SYS_tkill:
		r = sysTgkill(int32(a0), int(a1))
	case linux.SYS_kill:
		r = sysTgkill(sch.Tid(sch.Current()), int(a1))
	case linux.SYS_uname:
		r = sysUname(a0)
	case linux.SYS_epoll_create1, linux.SYS_epoll_create:
		r = sysEpollCreate()
	case linux.SYS_epoll_ctl:
		r = sysEpollCtl(int32(a0), int32(a1), int32(a2), a3)
	case linux.SYS_epoll_pwait, linux.SYS_epoll_wait:
		r = sysEpollWait(tf, int32(a0), a1, int32(a2), int32(a3))
	case linux.SYS_eventfd2, linux.SYS_eventfd:
		r = sysEventfd(a0)
	case linux.SYS_prctl, linux.SYS_set_tid_address, linux.SYS_sched_setaffinity:
		r = 0 // accepted and ignored (thread names, tid address, affinity)
	case linux.SYS_getuid32, linux.SYS_getgid32, linux.SYS_geteuid32, linux.SYS_getegid32,
		linux.SYS_getuid, linux.SYS_getgid, linux.SYS_geteuid, linux.SYS_getegid:
		r = 0 // root
	case linux.SYS_getrandom:
		r = sysGetrandom(a0, a1)
	case linux.SYS_pread64, linux.SYS_prlimit64, linux.SYS_ugetrlimit, linux.SYS_readlink,
		linux.SYS_readlinkat, linux.SYS_mincore, linux.SYS_timer_create, linux.SYS_setitimer,
		linux.SYS_fstat64, linux.SYS_stat64, linux.SYS_ioctl:
		r = -linux.ENOSYS // may fail harmlessly (docs/background.md); quietly
	case linux.SYS_gojos_sysinfo:
		r = sysGojosSysinfo(a0)
	case linux.SYS_gojos_textpoke:
		r = sysTextpoke(a0, a1, a2)
	case linux.SYS_gojos_palloc:
		r = sysPalloc()
	case linux.SYS_gojos_pfree:
		r = sysPfree(a0)
	case linux.SYS_gojos_conwrite:
		r = sysConwrite(a0, a1)
	default:
		r = -linux.ENOSYS
		logSyscall("unimplemented syscall", nr)
	}
	if !keepEax {
		tf.Eax = uint32(r)
	}
	if trace {
		traceSyscall(nr, a0, a1, a2, int32(tf.Eax))
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
