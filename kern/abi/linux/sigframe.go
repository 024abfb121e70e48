package linux

// Layout of the Linux i386 rt_sigframe a signal handler is entered with
// (arch/x86/include/asm/sigframe.h; the Go runtime's defs_linux_386.go reads
// the same): byte offsets in the frame and in its ucontext, and word
// indexes in the sigcontext (uc_mcontext). The trap tier (for the kernel's
// own runtime) and kern/proc (for user programs) both build and read it.
const (
	SigframePretcode = 0   // return address: sa_restorer
	SigframeSig      = 4   // handler argument 1
	SigframePinfo    = 8   // handler argument 2: &info
	SigframePuc      = 12  // handler argument 3: &uc
	SigframeInfo     = 16  // siginfo, 128 bytes
	SigframeUc       = 144 // ucontext
	SigframeSize     = 268 // up to the FPU state, with the 8-byte retcode

	UcStack    = 8   // stack_t: ss_sp, ss_flags, ss_size
	UcMcontext = 20  // sigcontext, 22 words
	UcSigmask  = 108 // 8 bytes

	ScGS, ScFS, ScES, ScDS                                     = 0, 1, 2, 3
	ScEDI, ScESI, ScEBP, ScESP, ScEBX, ScEDX                   = 4, 5, 6, 7, 8, 9
	ScECX, ScEAX, ScTrapno, ScErr, ScEIP, ScCS                 = 10, 11, 12, 13, 14, 15
	ScEflags, ScEspAtSignal, ScSS, ScFpstate, ScOldmask, ScCR2 = 16, 17, 18, 19, 20, 21

	// FPStateSize is the FXSAVE image kept below the frame.
	FPStateSize = 512

	// SigUnblockable are the signals no mask can block.
	SigUnblockable = 1<<(SIGKILL-1) | 1<<(SIGSTOP-1)
)

// struct sigaction as rt_sigaction(2) reads and writes it on i386 (the
// kernel's layout, not the C library's): handler, flags, restorer, then the
// 64-bit mask as two words.
const (
	SaHandler     = 0
	SaFlags       = 4
	SaRestorer    = 8
	SaMask        = 12
	SigactionSize = 20

	// SigsetSize is the only sigsetsize rt_sigaction and rt_sigprocmask accept.
	SigsetSize = 8

	// stack_t (sigaltstack): ss_sp, ss_flags, ss_size.
	StackSP, StackFlags, StackSizeOff = 0, 4, 8
	StackTSize                        = 12
	// MINSIGSTKSZ is the smallest alternate stack sigaltstack accepts.
	MINSIGSTKSZ = 2048

	// SigcontextWords is the length of uc_mcontext in 32-bit words.
	SigcontextWords = 22
)

// struct stat64 of i386 (fstat64, stat64, lstat64, fstatat64): byte
// offsets of the fields gojos fills, and its size.
const (
	Stat64Dev     = 0
	Stat64Ino32   = 12 // __st_ino, the low 32 bits
	Stat64Mode    = 16
	Stat64Nlink   = 20
	Stat64UID     = 24
	Stat64GID     = 28
	Stat64Rdev    = 32
	Stat64Size    = 44
	Stat64Blksize = 52
	Stat64Blocks  = 56
	Stat64Atime   = 64 // seconds, then nanoseconds
	Stat64Mtime   = 72
	Stat64Ctime   = 80
	Stat64Ino     = 88
	Stat64Len     = 96
)
