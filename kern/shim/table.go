package shim

import "gojos/kern/abi/linux"

// Support status of a system call in the trap tier.
const (
	Implemented  = iota // real semantics (possibly restricted as noted)
	Harmless            // answered with a fixed result the runtime tolerates
	NotSupported        // -ENOSYS, quietly: the runtime copes (docs/background.md)
)

// SyscallInfo documents one system call of the Go runtime's.
type SyscallInfo struct {
	Nr     uint32
	Name   string
	Status int
	Note   string
}

// Syscalls is the table of every system call the trap tier recognises.
// Anything else gets -ENOSYS and one line on the console. Keep it in step
// with the switch in syscall_386.go (table_test.go checks the names).
var Syscalls = [...]SyscallInfo{
	{linux.SYS_read, "read", Implemented, "console (blocks until input), eventfd"},
	{linux.SYS_write, "write", Implemented, "console (polled UART, never drops bytes; fd 1 and 2 go to the kernel log), eventfd"},
	{linux.SYS_open, "open", Harmless, "-ENOENT: no files in the kernel process"},
	{linux.SYS_openat, "openat", Harmless, "-ENOENT"},
	{linux.SYS_close, "close", Implemented, ""},
	{linux.SYS_fcntl, "fcntl", Implemented, "F_GETFD/F_SETFD/F_GETFL/F_SETFL"},
	{linux.SYS_fcntl64, "fcntl64", Implemented, "as fcntl"},
	{linux.SYS_brk, "brk", Harmless, "0: no data segment; the runtime uses mmap"},
	{linux.SYS_mmap2, "mmap2", Implemented, "anonymous private only; hints honoured; demand-zero"},
	{linux.SYS_munmap, "munmap", Implemented, ""},
	{linux.SYS_madvise, "madvise", Implemented, "MADV_DONTNEED/FREE zero-fill; others ignored"},
	{linux.SYS_mprotect, "mprotect", Implemented, "PROT_NONE drops contents"},
	{linux.SYS_clone, "clone", Implemented, "threads only (CLONE_VM|CLONE_THREAD|CLONE_SIGHAND)"},
	{linux.SYS_exit, "exit", Implemented, "ends the thread"},
	{linux.SYS_exit_group, "exit_group", Implemented, "ends QEMU with the status"},
	{linux.SYS_set_thread_area, "set_thread_area", Implemented, "one TLS slot, swapped per thread"},
	{linux.SYS_gettid, "gettid", Implemented, ""},
	{linux.SYS_getpid, "getpid", Implemented, "1"},
	{linux.SYS_getppid, "getppid", Harmless, "1"},
	{linux.SYS_sched_yield, "sched_yield", Implemented, "round-robin yield"},
	{linux.SYS_sched_getaffinity, "sched_getaffinity", Implemented, "one CPU"},
	{linux.SYS_sched_setaffinity, "sched_setaffinity", Harmless, "0"},
	{linux.SYS_futex, "futex", Implemented, "WAIT (relative timeout) and WAKE"},
	{linux.SYS_futex_time64, "futex_time64", Implemented, "as futex, 64-bit timespec"},
	{linux.SYS_nanosleep, "nanosleep", Implemented, "really sleeps (tick resolution)"},
	{linux.SYS_clock_gettime, "clock_gettime", Implemented, "TSC monotonic; RTC + monotonic realtime"},
	{linux.SYS_clock_gettime64, "clock_gettime64", Implemented, "as clock_gettime, 64-bit timespec"},
	{linux.SYS_gettimeofday, "gettimeofday", Implemented, ""},
	{linux.SYS_rt_sigaction, "rt_sigaction", Implemented, ""},
	{linux.SYS_rt_sigprocmask, "rt_sigprocmask", Implemented, "per thread"},
	{linux.SYS_sigaltstack, "sigaltstack", Implemented, "per thread"},
	{linux.SYS_rt_sigreturn, "rt_sigreturn", Implemented, "restores registers, FPU/SSE state, mask"},
	{linux.SYS_tgkill, "tgkill", Implemented, "queues the signal for the thread"},
	{linux.SYS_tkill, "tkill", Implemented, "as tgkill"},
	{linux.SYS_kill, "kill", Implemented, "to the calling thread"},
	{linux.SYS_uname, "uname", Implemented, "gojos 0.1 i686"},
	{linux.SYS_epoll_create, "epoll_create", Implemented, ""},
	{linux.SYS_epoll_create1, "epoll_create1", Implemented, ""},
	{linux.SYS_epoll_ctl, "epoll_ctl", Implemented, "up to 8 registrations per instance"},
	{linux.SYS_epoll_wait, "epoll_wait", Implemented, "blocks with timeout"},
	{linux.SYS_epoll_pwait, "epoll_pwait", Implemented, "as epoll_wait; the mask is ignored"},
	{linux.SYS_eventfd, "eventfd", Implemented, ""},
	{linux.SYS_eventfd2, "eventfd2", Implemented, ""},
	{linux.SYS_prctl, "prctl", Harmless, "0"},
	{linux.SYS_set_tid_address, "set_tid_address", Harmless, "0"},
	{linux.SYS_getuid32, "getuid32", Harmless, "0 (root)"},
	{linux.SYS_getgid32, "getgid32", Harmless, "0"},
	{linux.SYS_geteuid32, "geteuid32", Harmless, "0"},
	{linux.SYS_getegid32, "getegid32", Harmless, "0"},
	{linux.SYS_getuid, "getuid", Harmless, "0"},
	{linux.SYS_getgid, "getgid", Harmless, "0"},
	{linux.SYS_geteuid, "geteuid", Harmless, "0"},
	{linux.SYS_getegid, "getegid", Harmless, "0"},
	{linux.SYS_getrandom, "getrandom", Implemented, "TSC-seeded xorshift (not for keys)"},
	{linux.SYS_pread64, "pread64", NotSupported, ""},
	{linux.SYS_prlimit64, "prlimit64", NotSupported, ""},
	{linux.SYS_ugetrlimit, "ugetrlimit", NotSupported, ""},
	{linux.SYS_readlink, "readlink", NotSupported, ""},
	{linux.SYS_readlinkat, "readlinkat", NotSupported, ""},
	{linux.SYS_mincore, "mincore", NotSupported, ""},
	{linux.SYS_timer_create, "timer_create", NotSupported, "no CPU profiling timers"},
	{linux.SYS_setitimer, "setitimer", NotSupported, ""},
	{linux.SYS_fstat64, "fstat64", NotSupported, ""},
	{linux.SYS_stat64, "stat64", NotSupported, ""},
	{linux.SYS_ioctl, "ioctl", NotSupported, ""},
	{linux.SYS_gojos_sysinfo, "gojos_sysinfo", Implemented, "gojos: memory, TSC rate, ticks"},
	{linux.SYS_gojos_runuser, "gojos_runuser", Implemented, "gojos: run user code until it traps"},
	{linux.SYS_gojos_palloc, "gojos_palloc", Implemented, "gojos: a zeroed physical frame"},
	{linux.SYS_gojos_pfree, "gojos_pfree", Implemented, "gojos: free a frame"},
	{linux.SYS_gojos_conwrite, "gojos_conwrite", Implemented, "gojos: console output of user processes (not logged)"},
	{linux.SYS_gojos_textpoke, "gojos_textpoke", Implemented, "gojos: write kernel/module text (live patching)"},
}

// syscallName returns the name of system call nr, or "?".
func syscallName(nr uint32) string {
	for i := range Syscalls {
		if Syscalls[i].Nr == nr {
			return Syscalls[i].Name
		}
	}
	return "?"
}
