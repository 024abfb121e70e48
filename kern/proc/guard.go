package proc

import (
	"fmt"
	"strings"
	"sync/atomic"

	"gojos/kern/abi/linux"
)

// guard runs one system call's handler. A Go panic in it is a kernel bug:
// bug is told (it reports it and ends the calling process) and guard
// returns (0, true), "the thread ends", so the kernel keeps serving every
// other process. This is a safety net, not error handling: every panic it
// catches is a bug to fix in the handler.
func guard(call func() (int32, bool), bug func(v any)) (ret int32, exit bool) {
	defer func() {
		if v := recover(); v != nil {
			kernelBugs.Add(1)
			bug(v)
			ret, exit = 0, true
		}
	}()
	return call()
}

// kernelBugs counts the panics guard has caught since boot; /proc/kbugs
// shows it, so tests and the fuzzer can tell a process killed by a kernel
// bug from one killed by its own fault.
var kernelBugs atomic.Int64

// KernelBugs returns how many kernel bugs guard has caught since boot.
func KernelBugs() int64 { return kernelBugs.Load() }

// callString formats a system call for messages: its name and arguments in
// hexadecimal, at least three, trailing zeros after those left out.
func callString(nr uint32, a [6]uint32) string {
	var b strings.Builder
	b.WriteString(SyscallName(nr))
	b.WriteByte('(')
	n := 6
	for n > 3 && a[n-1] == 0 {
		n--
	}
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%#x", a[i])
	}
	b.WriteByte(')')
	return b.String()
}

// SyscallName names a user system call number (the ones the dispatcher
// serves; others as syscall_NR).
func SyscallName(nr uint32) string {
	if n, ok := syscallNames[nr]; ok {
		return n
	}
	return fmt.Sprintf("syscall_%d", nr)
}

var syscallNames = map[uint32]string{
	linux.SYS_access:            "access",
	linux.SYS_brk:               "brk",
	linux.SYS_chdir:             "chdir",
	linux.SYS_clock_gettime:     "clock_gettime",
	linux.SYS_clock_gettime64:   "clock_gettime64",
	linux.SYS_clock_nanosleep:   "clock_nanosleep",
	linux.SYS_clock_nanosleep64: "clock_nanosleep64",
	linux.SYS_clone:             "clone",
	linux.SYS_close:             "close",
	linux.SYS_delete_module:     "delete_module",
	linux.SYS_dup:               "dup",
	linux.SYS_dup2:              "dup2",
	linux.SYS_dup3:              "dup3",
	linux.SYS_epoll_create:      "epoll_create",
	linux.SYS_epoll_create1:     "epoll_create1",
	linux.SYS_epoll_ctl:         "epoll_ctl",
	linux.SYS_epoll_pwait:       "epoll_pwait",
	linux.SYS_epoll_wait:        "epoll_wait",
	linux.SYS_eventfd:           "eventfd",
	linux.SYS_eventfd2:          "eventfd2",
	linux.SYS_execve:            "execve",
	linux.SYS_exit:              "exit",
	linux.SYS_exit_group:        "exit_group",
	linux.SYS_faccessat:         "faccessat",
	linux.SYS_faccessat2:        "faccessat2",
	linux.SYS_fcntl:             "fcntl",
	linux.SYS_fcntl64:           "fcntl64",
	linux.SYS_finit_module:      "finit_module",
	linux.SYS_fstat:             "fstat",
	linux.SYS_fstat64:           "fstat64",
	linux.SYS_futex:             "futex",
	linux.SYS_futex_time64:      "futex_time64",
	linux.SYS_getcwd:            "getcwd",
	linux.SYS_getdents64:        "getdents64",
	linux.SYS_getegid:           "getegid",
	linux.SYS_getegid32:         "getegid32",
	linux.SYS_geteuid:           "geteuid",
	linux.SYS_geteuid32:         "geteuid32",
	linux.SYS_getgid:            "getgid",
	linux.SYS_getgid32:          "getgid32",
	linux.SYS_getpid:            "getpid",
	linux.SYS_getppid:           "getppid",
	linux.SYS_getrandom:         "getrandom",
	linux.SYS_gettid:            "gettid",
	linux.SYS_gettimeofday:      "gettimeofday",
	linux.SYS_getuid:            "getuid",
	linux.SYS_getuid32:          "getuid32",
	linux.SYS_gojos_ctl:         "gojos_ctl",
	linux.SYS_init_module:       "init_module",
	linux.SYS_ioctl:             "ioctl",
	linux.SYS_kill:              "kill",
	linux.SYS_lseek:             "lseek",
	linux.SYS_lstat64:           "lstat64",
	linux.SYS_madvise:           "madvise",
	linux.SYS_mmap2:             "mmap2",
	linux.SYS_mprotect:          "mprotect",
	linux.SYS_munmap:            "munmap",
	linux.SYS_nanosleep:         "nanosleep",
	linux.SYS_newfstatat:        "newfstatat",
	linux.SYS_open:              "open",
	linux.SYS_openat:            "openat",
	linux.SYS_pipe:              "pipe",
	linux.SYS_pipe2:             "pipe2",
	linux.SYS_prctl:             "prctl",
	linux.SYS_read:              "read",
	linux.SYS_readlink:          "readlink",
	linux.SYS_readlinkat:        "readlinkat",
	linux.SYS_reboot:            "reboot",
	linux.SYS_rt_sigaction:      "rt_sigaction",
	linux.SYS_rt_sigprocmask:    "rt_sigprocmask",
	linux.SYS_rt_sigreturn:      "rt_sigreturn",
	linux.SYS_sched_getaffinity: "sched_getaffinity",
	linux.SYS_sched_setaffinity: "sched_setaffinity",
	linux.SYS_sched_yield:       "sched_yield",
	linux.SYS_set_thread_area:   "set_thread_area",
	linux.SYS_set_tid_address:   "set_tid_address",
	linux.SYS_sigaltstack:       "sigaltstack",
	linux.SYS_stat:              "stat",
	linux.SYS_stat64:            "stat64",
	linux.SYS_statx:             "statx",
	linux.SYS_tgkill:            "tgkill",
	linux.SYS_tkill:             "tkill",
	linux.SYS_uname:             "uname",
	linux.SYS_wait4:             "wait4",
	linux.SYS_waitpid:           "waitpid",
	linux.SYS_write:             "write",
}
