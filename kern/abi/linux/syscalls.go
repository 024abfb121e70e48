package linux

// i386 system call numbers (arch/x86/entry/syscalls/syscall_32.tbl): the ones
// the Go runtime and gojos user programs make. INT $0x80 with the number in
// EAX and arguments in EBX, ECX, EDX, ESI, EDI, EBP; the result in EAX.
const (
	SYS_exit              = 1
	SYS_fork              = 2
	SYS_read              = 3
	SYS_write             = 4
	SYS_open              = 5
	SYS_close             = 6
	SYS_waitpid           = 7
	SYS_unlink            = 10
	SYS_execve            = 11
	SYS_chdir             = 12
	SYS_time              = 13
	SYS_lseek             = 19
	SYS_getpid            = 20
	SYS_setuid            = 23
	SYS_getuid            = 24
	SYS_access            = 33
	SYS_kill              = 37
	SYS_mkdir             = 39
	SYS_dup               = 41
	SYS_pipe              = 42
	SYS_brk               = 45
	SYS_setgid            = 46
	SYS_getgid            = 47
	SYS_geteuid           = 49
	SYS_getegid           = 50
	SYS_ioctl             = 54
	SYS_fcntl             = 55
	SYS_getppid           = 64
	SYS_setreuid          = 70
	SYS_setregid          = 71
	SYS_getgroups         = 80
	SYS_setgroups         = 81
	SYS_reboot            = 88
	SYS_dup2              = 63
	SYS_setrlimit         = 75
	SYS_getrlimit         = 76
	SYS_gettimeofday      = 78
	SYS_readlink          = 85
	SYS_munmap            = 91
	SYS_fstatfs           = 100
	SYS_setitimer         = 104
	SYS_stat              = 106
	SYS_fstat             = 108
	SYS_setfsuid          = 138
	SYS_setfsgid          = 139
	SYS_wait4             = 114
	SYS_clone             = 120
	SYS_uname             = 122
	SYS_mprotect          = 125
	SYS_getdents          = 141
	SYS_sched_yield       = 158
	SYS_nanosleep         = 162
	SYS_setresuid         = 164
	SYS_getresuid         = 165
	SYS_setresgid         = 170
	SYS_getresgid         = 171
	SYS_poll              = 168
	SYS_prctl             = 172
	SYS_rt_sigreturn      = 173
	SYS_rt_sigaction      = 174
	SYS_rt_sigprocmask    = 175
	SYS_pread64           = 180
	SYS_getcwd            = 183
	SYS_sigaltstack       = 186
	SYS_ugetrlimit        = 191
	SYS_mmap2             = 192
	SYS_stat64            = 195
	SYS_lstat64           = 196
	SYS_fstat64           = 197
	SYS_getuid32          = 199
	SYS_getgid32          = 200
	SYS_geteuid32         = 201
	SYS_getegid32         = 202
	SYS_setreuid32        = 203
	SYS_setregid32        = 204
	SYS_getgroups32       = 205
	SYS_setgroups32       = 206
	SYS_setresuid32       = 208
	SYS_getresuid32       = 209
	SYS_setresgid32       = 210
	SYS_getresgid32       = 211
	SYS_setuid32          = 213
	SYS_setgid32          = 214
	SYS_setfsuid32        = 215
	SYS_setfsgid32        = 216
	SYS_getdents64        = 220
	SYS_fcntl64           = 221
	SYS_mincore           = 218
	SYS_madvise           = 219
	SYS_gettid            = 224
	SYS_tkill             = 238
	SYS_futex             = 240
	SYS_sched_setaffinity = 241
	SYS_sched_getaffinity = 242
	SYS_set_thread_area   = 243
	SYS_get_thread_area   = 244
	SYS_exit_group        = 252
	SYS_epoll_create      = 254
	SYS_epoll_ctl         = 255
	SYS_epoll_wait        = 256
	SYS_set_tid_address   = 258
	SYS_timer_create      = 259
	SYS_timer_settime     = 260
	SYS_timer_gettime     = 261
	SYS_timer_getoverrun  = 262
	SYS_timer_delete      = 263
	SYS_clock_gettime     = 265
	SYS_clock_getres      = 266
	SYS_clock_nanosleep   = 267
	SYS_tgkill            = 270
	SYS_openat            = 295
	SYS_mkdirat           = 296
	SYS_newfstatat        = 300 // fstatat64 on i386
	SYS_unlinkat          = 301
	SYS_readlinkat        = 305
	SYS_faccessat         = 307
	SYS_pselect6          = 308
	SYS_ppoll             = 309
	SYS_epoll_pwait       = 319
	SYS_eventfd           = 323
	SYS_eventfd2          = 328
	SYS_epoll_create1     = 329
	SYS_dup3              = 330
	SYS_pipe2             = 331
	SYS_prlimit64         = 340
	SYS_getrandom         = 355
	SYS_statx             = 383
	SYS_clock_gettime64   = 403
	SYS_clock_nanosleep64 = 407
	SYS_futex_time64      = 422
	SYS_epoll_pwait2      = 441
	SYS_faccessat2        = 439
)

// Signals (asm-generic/signal.h).
const (
	SIGHUP    = 1
	SIGINT    = 2
	SIGQUIT   = 3
	SIGILL    = 4
	SIGTRAP   = 5
	SIGABRT   = 6
	SIGBUS    = 7
	SIGFPE    = 8
	SIGKILL   = 9
	SIGUSR1   = 10
	SIGSEGV   = 11
	SIGUSR2   = 12
	SIGPIPE   = 13
	SIGALRM   = 14
	SIGTERM   = 15
	SIGCHLD   = 17
	SIGCONT   = 18
	SIGSTOP   = 19
	SIGURG    = 23
	SIGPROF   = 27
	SIGWINCH  = 28
	SIGSYS    = 31
	NSIG      = 64
	SIG_DFL   = 0
	SIG_IGN   = 1
	SIG_BLOCK = 0
	SIG_UNBLK = 1 // SIG_UNBLOCK
	SIG_SETMK = 2 // SIG_SETMASK

	SA_SIGINFO   = 0x4
	SA_ONSTACK   = 0x08000000
	SA_RESTART   = 0x10000000
	SA_NODEFER   = 0x40000000
	SA_RESETHAND = 0x80000000
	SA_RESTORER  = 0x04000000

	SS_ONSTACK    = 1
	SS_DISABLE    = 2
	SS_AUTODISARM = 1 << 31

	// si_code values.
	SEGV_MAPERR = 1
	SEGV_ACCERR = 2
	ILL_ILLOPN  = 2
	FPE_INTDIV  = 1
	BUS_ADRALN  = 1
	SI_TKILL    = -6
	SI_USER     = 0
)

// clone flags (linux/sched.h).
const (
	CLONE_VM             = 0x00000100
	CLONE_FS             = 0x00000200
	CLONE_FILES          = 0x00000400
	CLONE_SIGHAND        = 0x00000800
	CLONE_VFORK          = 0x00004000
	CLONE_PARENT         = 0x00008000
	CLONE_THREAD         = 0x00010000
	CLONE_SYSVSEM        = 0x00040000
	CLONE_SETTLS         = 0x00080000
	CLONE_PARENT_SETTID  = 0x00100000
	CLONE_CHILD_CLEARTID = 0x00200000
	CLONE_CHILD_SETTID   = 0x01000000
)

// Auxiliary vector types (linux/auxvec.h).
const (
	AT_NULL         = 0
	AT_PHDR         = 3
	AT_PHENT        = 4
	AT_PHNUM        = 5
	AT_PAGESZ       = 6
	AT_ENTRY        = 9
	AT_UID          = 11
	AT_EUID         = 12
	AT_GID          = 13
	AT_EGID         = 14
	AT_SECURE       = 23
	AT_HWCAP        = 16
	AT_CLKTCK       = 17
	AT_RANDOM       = 25
	AT_EXECFN       = 31
	AT_SYSINFO_EHDR = 33 // address of the vDSO's ELF header
)

// fcntl commands, open flags and epoll/eventfd constants.
const (
	F_DUPFD         = 0
	F_GETFD         = 1
	F_SETFD         = 2
	F_GETFL         = 3
	F_SETFL         = 4
	F_DUPFD_CLOEXEC = 1030
	FD_CLOEXEC      = 1
	O_RDONLY        = 0
	O_WRONLY        = 1
	O_RDWR          = 2
	O_ACCMODE       = 3
	O_CREAT         = 0x40
	O_TRUNC         = 0x200
	O_NONBLOCK      = 0x800
	O_DIRECTORY     = 0x10000
	O_CLOEXEC       = 0x80000
	AT_FDCWD        = -100

	// st_mode file types (linux/stat.h).
	S_IFIFO = 0x1000
	S_IFCHR = 0x2000
	S_IFDIR = 0x4000
	S_IFREG = 0x8000
	S_IFLNK = 0xA000

	// terminal ioctls
	TCGETS     = 0x5401
	TIOCGPGRP  = 0x540F
	TIOCSPGRP  = 0x5410
	TIOCGWINSZ = 0x5413

	EPOLL_CTL_ADD = 1
	EPOLL_CTL_DEL = 2
	EPOLL_CTL_MOD = 3
	EPOLLIN       = 0x1
	EPOLLOUT      = 0x4
	EPOLLERR      = 0x8
	EPOLLHUP      = 0x10
	EPOLLRDHUP    = 0x2000
	EPOLLET       = 0x80000000
)

// Resource limits (getrlimit, setrlimit, prlimit64).
const (
	RLIMIT_CPU     = 0
	RLIMIT_FSIZE   = 1
	RLIMIT_DATA    = 2
	RLIMIT_STACK   = 3
	RLIMIT_CORE    = 4
	RLIMIT_RSS     = 5
	RLIMIT_NPROC   = 6
	RLIMIT_NOFILE  = 7
	RLIMIT_MEMLOCK = 8
	RLIMIT_AS      = 9
	RLIM_NLIMITS   = 16

	// RLIM64_INFINITY is "no limit" in struct rlimit64 (prlimit64);
	// RLIM_INFINITY in the 32-bit struct rlimit of ugetrlimit/setrlimit.
	RLIM64_INFINITY = ^uint64(0)
	RLIM_INFINITY   = ^uint32(0)
	// OldRLIM_INFINITY is what the old getrlimit (76) reports for no limit.
	OldRLIM_INFINITY = 0x7FFFFFFF
)
