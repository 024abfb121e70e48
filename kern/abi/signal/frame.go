package signal

import (
	"gojos/kern/abi/linux"
	"gojos/kern/arch/x86"
)

// Context is uc_mcontext, the interrupted registers in struct sigcontext
// order (linux.Sc* index it).
type Context [linux.SigcontextWords]uint32

// Frame places a handler's frame for a thread whose stack pointer is sp:
// on the alternate stack st when the action asks for it (SA_ONSTACK) and
// the thread is not on it already. fp is where the FXSAVE image goes
// (linux.FPStateSize bytes, 64-byte aligned), f the rt_sigframe itself
// (linux.SigframeSize bytes below it, with ESP+4 16-byte aligned at the
// handler's entry, as the i386 ABI wants).
func Frame(sp uint32, flags uint32, st Stack) (f, fp uint32) {
	if flags&linux.SA_ONSTACK != 0 && st.Enabled() && !st.On(sp) {
		sp = st.SP + st.Size
	}
	fp = (sp - linux.FPStateSize) &^ 63
	f = ((fp - linux.SigframeSize) &^ 15) - 4
	return f, fp
}

// Info is what siginfo carries: the signal, its si_code and, for a fault,
// the faulting address.
type Info struct {
	Sig  int
	Code int32
	Addr uint32
}

// Build writes the rt_sigframe for delivering in into frame
// (linux.SigframeSize bytes, to be placed at user address f): return
// address (the action's restorer), the handler's three arguments, siginfo,
// and the ucontext with the alternate stack st, the registers mc and the
// mask to restore.
func Build(frame []byte, f uint32, in Info, restorer uint32, st Stack, mc *Context, mask uint64) {
	_ = frame[linux.SigframeSize-1]
	clear(frame[:linux.SigframeSize])
	put32(frame[linux.SigframePretcode:], restorer)
	put32(frame[linux.SigframeSig:], uint32(in.Sig))
	put32(frame[linux.SigframePinfo:], f+linux.SigframeInfo)
	put32(frame[linux.SigframePuc:], f+linux.SigframeUc)
	// siginfo: si_signo, si_errno, si_code, then si_addr for a fault.
	put32(frame[linux.SigframeInfo:], uint32(in.Sig))
	put32(frame[linux.SigframeInfo+8:], uint32(in.Code))
	put32(frame[linux.SigframeInfo+12:], in.Addr)
	uc := frame[linux.SigframeUc:]
	st.Put(uc[linux.UcStack:])
	for i, v := range mc {
		put32(uc[linux.UcMcontext+4*i:], v)
	}
	PutMask(uc[linux.UcSigmask:], mask)
}

// Read returns the registers and the mask a handler's rt_sigreturn
// restores from frame (linux.SigframeSize bytes at ESP-4: the handler's RET
// popped the return address). The caller re-imposes its own segments and
// safe flags.
func Read(frame []byte) (mc Context, mask uint64) {
	_ = frame[linux.SigframeSize-1]
	uc := frame[linux.SigframeUc:]
	for i := range mc {
		mc[i] = le32(uc[linux.UcMcontext+4*i:])
	}
	return mc, GetMask(uc[linux.UcSigmask:]) &^ Unblockable
}

// HandlerEntry returns the registers a handler starts with, for a frame at
// f: ESP, EIP (the handler), and EAX, EDX, ECX set to the signal, &info
// and &uc, as Linux sets them for handlers that take register arguments.
func HandlerEntry(f uint32, sig int, handler uint32) (esp, eip, eax, edx, ecx uint32) {
	return f, handler, uint32(sig), f + linux.SigframeInfo, f + linux.SigframeUc
}

// EntryFlagsClear are the EFLAGS bits a handler starts with cleared: TF and DF.
const EntryFlagsClear = x86.FlagTF | x86.FlagDF

// UserFlags are the EFLAGS bits rt_sigreturn may restore from the frame:
// the arithmetic flags, TF, DF, OF, AC and RF; never IF or IOPL.
const UserFlags = x86.FlagCF | x86.FlagPF | x86.FlagAF | x86.FlagZF | x86.FlagSF |
	x86.FlagTF | x86.FlagDF | x86.FlagOF | x86.FlagAC | x86.FlagRF

// AfterDelivery is the thread's mask while the handler of sig runs.
func AfterDelivery(mask uint64, sig int, a Action) uint64 {
	if a.Flags&linux.SA_NODEFER == 0 {
		mask |= Bit(sig)
	}
	return mask | a.Mask&^Unblockable
}

// FromTrap maps a CPU exception other than a page fault to the signal
// Linux sends for it (arch/x86/kernel/traps.c): si_code and si_addr as
// Linux fills them. known is false for a vector Linux does not turn into
// a signal for user code (an NMI, a double fault, ...): the caller decides.
func FromTrap(trapno, eip uint32) (in Info, known bool) {
	switch trapno {
	case x86.TrapDivide:
		return Info{linux.SIGFPE, linux.FPE_INTDIV, eip}, true
	case x86.TrapIllegal:
		return Info{linux.SIGILL, linux.ILL_ILLOPN, eip}, true
	case x86.TrapBreak, x86.TrapDebug:
		return Info{linux.SIGTRAP, 0, eip}, true
	case x86.TrapGPF, x86.TrapSegment, x86.TrapStack, x86.TrapOverflow, x86.TrapBound:
		return Info{linux.SIGSEGV, 0, 0}, true // si_addr 0 for #GP, as Linux
	case x86.TrapAlign:
		return Info{linux.SIGBUS, linux.BUS_ADRALN, 0}, true
	case x86.TrapFPU, x86.TrapSIMD:
		return Info{linux.SIGFPE, 0, eip}, true
	}
	return Info{linux.SIGSEGV, 0, 0}, false
}

// FromPageFault is the SIGSEGV for a page fault that no mapping serves:
// SEGV_ACCERR when a page was present (a protection fault), SEGV_MAPERR
// otherwise; si_addr is the faulting address (CR2).
func FromPageFault(pfErr, cr2 uint32) Info {
	if pfErr&x86.PFPresent != 0 {
		return Info{linux.SIGSEGV, linux.SEGV_ACCERR, cr2}
	}
	return Info{linux.SIGSEGV, linux.SEGV_MAPERR, cr2}
}
