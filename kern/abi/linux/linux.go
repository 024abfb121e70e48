// Package linux holds the Linux i386 ABI constants that the gojos kernel
// needs to answer the system calls of the Go runtime and of user processes:
// errno values, mmap/mprotect/madvise flags, futex operations and clock ids.
// Values are those of the i386 Linux kernel headers (asm-generic/errno-base.h,
// asm-generic/errno.h, asm-generic/mman-common.h, linux/futex.h,
// linux/time.h); i386 uses the generic values throughout.
//
// This package is constants and stateless values only (Errno, whose text is
// the C library's; SignalName): it must never gain variables, state or
// imports, so that every tier of the kernel (including the in-trap tier,
// which may not allocate) and the user/ and tools/ trees can import it.
// Syscall numbers belong here too (one file per family). Both tiers take
// their errno values, signal numbers and the sigaction, stack_t, sigset,
// rt_sigframe and stat64 layouts from here; kern/abi/signal encodes them.
//
// Constants keep their Linux spelling (PROT_READ, not ProtRead) so that they
// can be matched against man pages and strace output at a glance. Errno
// values are positive, untyped; a system call returns -Exxx in EAX.
package linux

// Errno values (asm-generic/errno-base.h, asm-generic/errno.h).
const (
	EPERM        = 1  // operation not permitted
	ENOENT       = 2  // no such file or directory
	ESRCH        = 3  // no such process
	EINTR        = 4  // interrupted system call
	EIO          = 5  // I/O error
	ENXIO        = 6  // no such device or address
	E2BIG        = 7  // argument list too long
	ENOEXEC      = 8  // exec format error
	EBADF        = 9  // bad file number
	ECHILD       = 10 // no child processes
	EAGAIN       = 11 // try again (EWOULDBLOCK)
	ENOMEM       = 12 // out of memory
	EACCES       = 13 // permission denied
	EFAULT       = 14 // bad address
	EBUSY        = 16 // device or resource busy
	EEXIST       = 17 // file exists
	ENODEV       = 19 // no such device
	ENOTDIR      = 20 // not a directory
	EISDIR       = 21 // is a directory
	EINVAL       = 22 // invalid argument
	ENFILE       = 23 // file table overflow
	EMFILE       = 24 // too many open files
	ENOTTY       = 25 // not a typewriter
	EFBIG        = 27 // file too large
	ENOSPC       = 28 // no space left on device
	ESPIPE       = 29 // illegal seek
	EROFS        = 30 // read-only file system
	EPIPE        = 32 // broken pipe
	ERANGE       = 34 // math result not representable
	EDEADLK      = 35 // resource deadlock would occur
	ENAMETOOLONG = 36 // file name too long
	ENOSYS       = 38 // invalid system call number
	ENOTEMPTY    = 39 // directory not empty
	ELOOP        = 40 // too many symbolic links encountered
	EWOULDBLOCK  = EAGAIN
	EOVERFLOW    = 75  // value too large for defined data type
	ENOTSUP      = 95  // operation not supported (EOPNOTSUPP)
	ETIMEDOUT    = 110 // connection (or futex wait) timed out
)

// Page geometry of i386 without PAE.
const (
	PageShift = 12
	PageSize  = 1 << PageShift // 4096
)

// PR_SET_VMA is prctl's option to name a range of anonymous memory
// (linux/prctl.h; the Go runtime names its heap and stacks with it).
// Without CONFIG_ANON_VMA_NAME Linux answers EINVAL, as gojos does: the
// runtime then stops asking.
const PR_SET_VMA = 0x53564d41

// Prctl is the answer of both system-call tables to prctl(option, ...):
// EINVAL for PR_SET_VMA, which gojos does not support; 0 for every other
// option, which the programs it runs tolerate.
func Prctl(option uint32) int32 {
	if option == PR_SET_VMA {
		return -EINVAL
	}
	return 0
}

// mmap2/mprotect protection bits (asm-generic/mman-common.h).
const (
	PROT_NONE      = 0x0
	PROT_READ      = 0x1
	PROT_WRITE     = 0x2
	PROT_EXEC      = 0x4
	PROT_SEM       = 0x8
	PROT_GROWSDOWN = 0x01000000
	PROT_GROWSUP   = 0x02000000
)

// mmap2 flags (asm-generic/mman-common.h, asm-generic/mman.h, linux/mman.h).
// The Go runtime uses MAP_PRIVATE|MAP_ANONYMOUS, optionally with MAP_FIXED.
const (
	MAP_SHARED          = 0x01
	MAP_PRIVATE         = 0x02
	MAP_SHARED_VALIDATE = 0x03
	MAP_TYPE            = 0x0f // mask for the sharing type
	MAP_FIXED           = 0x10
	MAP_ANONYMOUS       = 0x20
	MAP_GROWSDOWN       = 0x0100
	MAP_DENYWRITE       = 0x0800
	MAP_EXECUTABLE      = 0x1000
	MAP_LOCKED          = 0x2000
	MAP_NORESERVE       = 0x4000
	MAP_POPULATE        = 0x8000
	MAP_NONBLOCK        = 0x10000
	MAP_STACK           = 0x20000
	MAP_HUGETLB         = 0x40000
	MAP_FIXED_NOREPLACE = 0x100000

	// MAP_FAILED is what mmap returns in C on failure; the raw system call
	// returns -errno instead (values in [-4095, -1] are errors).
	MAP_FAILED = 0xFFFFFFFF
)

// madvise advice values (asm-generic/mman-common.h).
const (
	MADV_NORMAL     = 0
	MADV_RANDOM     = 1
	MADV_SEQUENTIAL = 2
	MADV_WILLNEED   = 3
	// MADV_DONTNEED must zero-fill: the next read of the range sees zeros.
	// The Go scavenger depends on it (docs/background.md).
	MADV_DONTNEED   = 4
	MADV_FREE       = 8
	MADV_REMOVE     = 9
	MADV_DONTFORK   = 10
	MADV_DOFORK     = 11
	MADV_MERGEABLE  = 12
	MADV_HUGEPAGE   = 14
	MADV_NOHUGEPAGE = 15 // may be ignored
	MADV_DONTDUMP   = 16
	MADV_COLLAPSE   = 25
)

// futex operations (linux/futex.h). The op argument is
// cmd | FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME; mask with FUTEX_CMD_MASK.
// The Go runtime uses FUTEX_WAIT_PRIVATE (relative timeout) and
// FUTEX_WAKE_PRIVATE.
const (
	FUTEX_WAIT            = 0
	FUTEX_WAKE            = 1
	FUTEX_FD              = 2
	FUTEX_REQUEUE         = 3
	FUTEX_CMP_REQUEUE     = 4
	FUTEX_WAKE_OP         = 5
	FUTEX_LOCK_PI         = 6
	FUTEX_UNLOCK_PI       = 7
	FUTEX_TRYLOCK_PI      = 8
	FUTEX_WAIT_BITSET     = 9
	FUTEX_WAKE_BITSET     = 10
	FUTEX_WAIT_REQUEUE_PI = 11
	FUTEX_CMP_REQUEUE_PI  = 12
	FUTEX_LOCK_PI2        = 13

	FUTEX_PRIVATE_FLAG   = 128
	FUTEX_CLOCK_REALTIME = 256
	// FUTEX_CMD_MASK is ~(FUTEX_PRIVATE_FLAG|FUTEX_CLOCK_REALTIME) as a
	// 32-bit register value (usable with uint32 and int64 operands).
	FUTEX_CMD_MASK = 0xFFFFFE7F

	FUTEX_WAIT_PRIVATE = FUTEX_WAIT | FUTEX_PRIVATE_FLAG // 128
	FUTEX_WAKE_PRIVATE = FUTEX_WAKE | FUTEX_PRIVATE_FLAG // 129

	FUTEX_BITSET_MATCH_ANY = 0xffffffff
)

// Clock ids for clock_gettime and friends (linux/time.h).
const (
	CLOCK_REALTIME           = 0
	CLOCK_MONOTONIC          = 1
	CLOCK_PROCESS_CPUTIME_ID = 2
	CLOCK_THREAD_CPUTIME_ID  = 3
	CLOCK_MONOTONIC_RAW      = 4
	CLOCK_REALTIME_COARSE    = 5
	CLOCK_MONOTONIC_COARSE   = 6
	CLOCK_BOOTTIME           = 7
	CLOCK_REALTIME_ALARM     = 8
	CLOCK_BOOTTIME_ALARM     = 9
)
