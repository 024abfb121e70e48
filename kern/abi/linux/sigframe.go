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
