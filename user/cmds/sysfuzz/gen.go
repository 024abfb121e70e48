package sysfuzz

import (
	"fmt"
	"strings"
	"sync"

	"gojos/kern/abi/linux"
)

// The call generator: call i of seed s is a pure function of (s, i), so a
// child process can start anywhere in the sequence and every run of a seed
// issues the same calls. Pointer arguments are symbolic (an offset into
// the child's arena, or a string of the pool) and resolved by the child.

// Arg kinds.
const (
	argLit    = iota // the value as is
	argArena         // V is an offset into the arena
	argString        // V indexes Strings; the string lies in the arena
)

// Arg is one argument of a generated call.
type Arg struct {
	Kind uint8
	V    uint32
}

// Call is one generated system call.
type Call struct {
	Index int
	Nr    uint32
	Args  [6]Arg
}

// The arena: two zero pages (buffers, timespecs, sigsets), two pages of
// pool strings (256 bytes each), then an inaccessible guard page. The
// child resets it before every call, so a call's effect on it never leaks
// into the next.
const (
	pageSize   = 4096
	zeroSize   = 2 * pageSize
	strOff     = zeroSize
	strSlot    = 256
	arenaSize  = zeroSize + 2*pageSize
	guardSize  = pageSize
	mappedSize = arenaSize + guardSize
)

// Strings are the paths and control requests pointer arguments may name.
// No /dev/console or /dev/tty: a child must never wait for typed input.
var Strings = []string{
	"", "/", ".", "..", "/bin/sh", "/bin/gojos", "/etc/motd", "/etc/motd/x",
	"/proc", "/proc/1/status", "/proc/kallsyms", "/proc/modules", "/dev",
	"/dev/null", "no/such/file", "/bin/../etc//motd", strings.Repeat("a/", 120),
	"lasterror", "kpatch -l", "ksyms kpatch_test1", "ksyms 0xc0100000",
	"kpatch -d kpatch_test1", "kpatch -u nosuch", "test", "\xff\xfe\x80",
}

var (
	smallInts = []uint32{
		0xffffffff, 0x80000000, 0x7fffffff, 0xfffffffe, 0x7ffff000, 0x10000,
		0x10001, 0x1000, 0xfff, 0x40, 0x100, 0x101, 255, 256, 1 << 20, 0x10000000,
	}
	kernelAddrs = []uint32{
		0xc0000000, 0xc0100000, 0xc0053925, 0xc0400000, 0xfffff000, 0xfffffffc,
		0xbffffffc, 0xbfffff00,
	}
	unmappedAddrs = []uint32{0x1000, 0x3ff000, 0x400000, 0x10000, 0x7fff0000, 0xb0000000}
	arenaOffsets  = []uint32{
		0, 8, 16, 64, 4092, 4096, zeroSize - 1, arenaSize - 1, arenaSize - 8,
		arenaSize, // the guard page
	}
	flagBits = []uint32{
		0x1, 0x2, 0x4, 0x10, 0x20, 0x40, 0x80, 0x200, 0x400, 0x800, 0x1000,
		0x10000, 0x80000, 0x100, 0x4000,
	}
)

// i386 numbers the kernel's ABI package does not name.
const (
	nrSigsuspend     = 72
	nrSelect         = 82
	nrSigreturn      = 119
	nrNewselect      = 142
	nrRtSigtimedwait = 177
	nrRtSigsuspend   = 179
	nrVfork          = 190
	nrExecveat       = 358
	nrClone3         = 435
	nrPause          = 29
)

// skipped are never issued: they create processes or threads running the
// fuzzer's code on a random stack (fork, vfork, clone), end the machine
// (reboot), end only the calling thread so the Go runtime waits for it
// forever (exit), or wait for a signal that never comes. execve is issued:
// the pool can name a program but cannot build an argument vector, so at
// worst the child becomes a program that prints its usage and exits (the
// report pipe is close-on-exec, so the parent sees the child end there).
var skipped = sync.OnceValue(func() map[uint32]bool {
	return map[uint32]bool{
		linux.SYS_exit: true, linux.SYS_fork: true, linux.SYS_reboot: true,
		linux.SYS_clone: true, nrVfork: true, nrClone3: true, nrPause: true,
		nrSigsuspend: true, nrRtSigsuspend: true,
	}
})

// implemented are the numbers gojos serves (half the draws pick one of
// them, so the fuzzing is not mostly ENOSYS).
var implemented = []uint32{
	linux.SYS_read, linux.SYS_write, linux.SYS_open, linux.SYS_close,
	linux.SYS_execve, linux.SYS_waitpid, linux.SYS_chdir, linux.SYS_lseek, linux.SYS_getpid,
	linux.SYS_access, linux.SYS_kill, linux.SYS_dup, linux.SYS_pipe,
	linux.SYS_brk, linux.SYS_ioctl, linux.SYS_fcntl, linux.SYS_dup2,
	linux.SYS_getppid, linux.SYS_gettimeofday, linux.SYS_readlink,
	linux.SYS_munmap, linux.SYS_stat, linux.SYS_fstat, linux.SYS_wait4,
	linux.SYS_uname, linux.SYS_mprotect, linux.SYS_init_module,
	linux.SYS_delete_module, linux.SYS_sched_yield, linux.SYS_nanosleep,
	linux.SYS_prctl, linux.SYS_rt_sigreturn, linux.SYS_rt_sigaction,
	linux.SYS_rt_sigprocmask, linux.SYS_getcwd, linux.SYS_sigaltstack,
	linux.SYS_mmap2, linux.SYS_stat64, linux.SYS_lstat64, linux.SYS_fstat64,
	linux.SYS_getuid32, linux.SYS_getdents64, linux.SYS_fcntl64,
	linux.SYS_madvise, linux.SYS_gettid, linux.SYS_tkill, linux.SYS_futex,
	linux.SYS_sched_setaffinity, linux.SYS_sched_getaffinity,
	linux.SYS_set_thread_area, linux.SYS_exit_group, linux.SYS_epoll_create,
	linux.SYS_epoll_ctl, linux.SYS_epoll_wait, linux.SYS_set_tid_address,
	linux.SYS_clock_gettime, linux.SYS_clock_nanosleep, linux.SYS_tgkill,
	linux.SYS_openat, linux.SYS_newfstatat, linux.SYS_readlinkat,
	linux.SYS_faccessat, linux.SYS_epoll_pwait, linux.SYS_eventfd,
	linux.SYS_eventfd2, linux.SYS_epoll_create1, linux.SYS_dup3,
	linux.SYS_pipe2, linux.SYS_finit_module, linux.SYS_getrandom,
	linux.SYS_statx, linux.SYS_clock_gettime64, linux.SYS_clock_nanosleep64,
	linux.SYS_futex_time64, linux.SYS_faccessat2, linux.SYS_gojos_ctl,
	// user and group IDs: a child that drops root stays unprivileged
	linux.SYS_setuid, linux.SYS_setuid32, linux.SYS_setgid32, linux.SYS_setreuid32,
	linux.SYS_setregid32, linux.SYS_setresuid32, linux.SYS_getresuid32,
	linux.SYS_setresgid32, linux.SYS_getresgid32, linux.SYS_getgroups32,
	linux.SYS_setgroups32, linux.SYS_setgroups, linux.SYS_setfsuid32,
}

// MaxNr is the largest Linux i386 number drawn uniformly.
const MaxNr = 450

// rng is splitmix64.
type rng struct{ s uint64 }

func newRng(seed int64, i int) *rng {
	r := &rng{uint64(seed)*0x9e3779b97f4a7c15 ^ uint64(i)*0xbf58476d1ce4e5b9}
	r.next()
	return r
}

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

func pick(r *rng, vs []uint32) uint32 { return vs[r.intn(len(vs))] }

func (r *rng) arg() Arg {
	switch d := r.intn(100); {
	case d < 15:
		return Arg{argLit, uint32(r.intn(17))}
	case d < 25:
		return Arg{argLit, 0}
	case d < 37:
		return Arg{argLit, pick(r, smallInts)}
	case d < 47:
		return Arg{argLit, pick(r, kernelAddrs)}
	case d < 55:
		return Arg{argLit, pick(r, unmappedAddrs)}
	case d < 75:
		return Arg{argArena, pick(r, arenaOffsets)}
	case d < 85:
		return Arg{argString, uint32(r.intn(len(Strings)))}
	case d < 93:
		var f uint32
		for k := r.intn(4); k >= 0; k-- {
			f |= pick(r, flagBits)
		}
		return Arg{argLit, f}
	}
	return Arg{argLit, uint32(r.next())}
}

// Generate returns call i of seed.
func Generate(seed int64, i int) Call {
	r := newRng(seed, i)
	c := Call{Index: i}
	for {
		switch d := r.intn(100); {
		case d < 50:
			c.Nr = pick(r, implemented)
		case d < 95:
			c.Nr = uint32(r.intn(MaxNr + 1))
		case d < 98:
			c.Nr = 0x1000 + uint32(r.intn(8)) // gojos's own numbers
		default:
			c.Nr = uint32(r.next())
		}
		if !skipped()[c.Nr] {
			break
		}
	}
	for k := range c.Args {
		c.Args[k] = r.arg()
	}
	return c
}

// Resolve turns the arguments into values for an arena at base; pid and
// tid are the calling child's.
func (c Call) Resolve(base uint32, pid, tid uint32) [6]uint32 {
	var a [6]uint32
	for k, x := range c.Args {
		switch x.Kind {
		case argArena:
			a[k] = base + x.V
		case argString:
			a[k] = base + strOff + x.V*strSlot
		default:
			a[k] = x.V
		}
	}
	sanitize(c.Nr, &a, base, pid, tid)
	return a
}

// sanitize keeps a call from ending anything but the child, or from
// waiting for ever (a child that hangs costs the campaign its watchdog
// time): signals go only to the child itself (never its parent, init or
// every process), and a timeout that would wait for ever or for years
// becomes zero (a zeroed timespec in the arena, or 0 ms).
func sanitize(nr uint32, a *[6]uint32, base, pid, tid uint32) {
	zeroTS := base // arena+0 holds zeros when the call starts
	// A pid or tid that could name another process (small, 0 for the
	// process group, -1 for every process, -N for a group) becomes the
	// child's own; huge ones (no such process) stay.
	own := func(v, self uint32) uint32 {
		if v < 1<<24 || v >= 0xff000000 {
			return self
		}
		return v
	}
	// A timespec pointer is harmless if invalid (EFAULT) or zero; inside
	// the arena it may point at string bytes (years of sleep).
	ts := func(v uint32) uint32 {
		if v == 0 || (v >= base && v < base+mappedSize) {
			return zeroTS
		}
		return v
	}
	switch nr {
	case linux.SYS_kill:
		a[0] = own(a[0], pid)
	case linux.SYS_tgkill:
		a[0] = pid
		a[1] = own(a[1], tid)
	case linux.SYS_tkill:
		a[0] = own(a[0], tid)
	case linux.SYS_futex, linux.SYS_futex_time64:
		switch a[1] & 0x7f {
		case 0, 6, 9, 11, 13: // WAIT, LOCK_PI, WAIT_BITSET, WAIT_REQUEUE_PI, LOCK_PI2
			a[3] = ts(a[3])
		}
	case linux.SYS_nanosleep:
		a[0] = ts(a[0])
	case linux.SYS_clock_nanosleep, linux.SYS_clock_nanosleep64:
		a[1] = 0 // relative: TIMER_ABSTIME with a zero time would be fine, a past one too
		a[2] = ts(a[2])
	case linux.SYS_epoll_wait, linux.SYS_epoll_pwait:
		if a[3] > 20 {
			a[3] = 0
		}
	case linux.SYS_poll:
		if a[2] > 20 {
			a[2] = 0
		}
	case linux.SYS_ppoll, nrRtSigtimedwait:
		a[2] = ts(a[2])
	case nrSelect, nrNewselect, linux.SYS_pselect6:
		a[4] = ts(a[4])
	case linux.SYS_epoll_pwait2:
		a[3] = ts(a[3])
	}
}

// String describes the call with symbolic pointers: read(0x2, arena+0x1000, 0xffffffff, …).
func (c Call) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "#%d %s(", c.Index, Name(c.Nr))
	for k, x := range c.Args {
		if k > 0 {
			b.WriteString(", ")
		}
		switch x.Kind {
		case argArena:
			fmt.Fprintf(&b, "arena+%#x", x.V)
		case argString:
			fmt.Fprintf(&b, "%q", Strings[x.V])
		default:
			fmt.Fprintf(&b, "%#x", x.V)
		}
	}
	b.WriteByte(')')
	return b.String()
}

var names = sync.OnceValue(func() map[uint32]string {
	return map[uint32]string{
		linux.SYS_read: "read", linux.SYS_write: "write", linux.SYS_open: "open",
		linux.SYS_close: "close", linux.SYS_execve: "execve", linux.SYS_waitpid: "waitpid", linux.SYS_chdir: "chdir",
		linux.SYS_lseek: "lseek", linux.SYS_getpid: "getpid", linux.SYS_access: "access",
		linux.SYS_kill: "kill", linux.SYS_dup: "dup", linux.SYS_pipe: "pipe",
		linux.SYS_brk: "brk", linux.SYS_ioctl: "ioctl", linux.SYS_fcntl: "fcntl",
		linux.SYS_dup2: "dup2", linux.SYS_getppid: "getppid", linux.SYS_munmap: "munmap",
		linux.SYS_stat: "stat", linux.SYS_fstat: "fstat", linux.SYS_wait4: "wait4",
		linux.SYS_uname: "uname", linux.SYS_mprotect: "mprotect",
		linux.SYS_init_module: "init_module", linux.SYS_delete_module: "delete_module",
		linux.SYS_nanosleep: "nanosleep", linux.SYS_rt_sigreturn: "rt_sigreturn",
		linux.SYS_rt_sigaction: "rt_sigaction", linux.SYS_rt_sigprocmask: "rt_sigprocmask",
		linux.SYS_getcwd: "getcwd", linux.SYS_sigaltstack: "sigaltstack",
		linux.SYS_mmap2: "mmap2", linux.SYS_stat64: "stat64", linux.SYS_fstat64: "fstat64",
		linux.SYS_getdents64: "getdents64", linux.SYS_fcntl64: "fcntl64",
		linux.SYS_madvise: "madvise", linux.SYS_tkill: "tkill", linux.SYS_futex: "futex",
		linux.SYS_set_thread_area: "set_thread_area", linux.SYS_exit_group: "exit_group",
		linux.SYS_epoll_ctl: "epoll_ctl", linux.SYS_epoll_wait: "epoll_wait",
		linux.SYS_set_tid_address: "set_tid_address", linux.SYS_tgkill: "tgkill",
		linux.SYS_openat: "openat", linux.SYS_newfstatat: "fstatat64",
		linux.SYS_epoll_pwait: "epoll_pwait", linux.SYS_eventfd2: "eventfd2",
		linux.SYS_dup3: "dup3", linux.SYS_pipe2: "pipe2", linux.SYS_finit_module: "finit_module",
		linux.SYS_getrandom: "getrandom", linux.SYS_futex_time64: "futex_time64",
		linux.SYS_gojos_ctl: "gojos_ctl", linux.SYS_clock_nanosleep: "clock_nanosleep",
		linux.SYS_sched_getaffinity: "sched_getaffinity", linux.SYS_prctl: "prctl",
		nrSigreturn:      "sigreturn",
		linux.SYS_setuid: "setuid16", linux.SYS_setuid32: "setuid32", linux.SYS_setgid32: "setgid32",
		linux.SYS_setreuid32: "setreuid32", linux.SYS_setregid32: "setregid32",
		linux.SYS_setresuid32: "setresuid32", linux.SYS_getresuid32: "getresuid32",
		linux.SYS_setresgid32: "setresgid32", linux.SYS_getresgid32: "getresgid32",
		linux.SYS_getgroups32: "getgroups32", linux.SYS_setgroups32: "setgroups32",
		linux.SYS_setgroups: "setgroups16", linux.SYS_setfsuid32: "setfsuid32",
	}
})

// Name names a system call number where the fuzzer knows it.
func Name(nr uint32) string {
	if n, ok := names()[nr]; ok {
		return n
	}
	return fmt.Sprintf("sys%d", nr)
}
