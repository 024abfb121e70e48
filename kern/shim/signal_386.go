package shim

import (
	"unsafe"

	"gojos/kern/abi/linux"
	"gojos/kern/arch/x86"
)

// Linux i386 signal delivery to the kernel's own Go code: the runtime's
// handlers (nil-pointer panics are SIGSEGV; async preemption is SIGURG from
// tgkill) run on the thread's sigaltstack with a Linux rt_sigframe, and
// rt_sigreturn restores the interrupted context, FPU/SSE state included.

type sigaction struct {
	handler  uint32
	flags    uint32
	restorer uint32
	mask     uint64
}

// The process-wide signal actions (the kernel is one process to the runtime).
var sigactions [linux.NSIG + 1]sigaction

func sigbit(sig int) uint64 { return 1 << uint(sig-1) }

// Names for linux.Sigframe*/Uc*/Sc* (the shared rt_sigframe layout).
const (
	sfPretcode                 = linux.SigframePretcode
	sfSig                      = linux.SigframeSig
	sfPinfo                    = linux.SigframePinfo
	sfPuc                      = linux.SigframePuc
	sfInfo                     = linux.SigframeInfo
	sfUc                       = linux.SigframeUc
	sfSize                     = linux.SigframeSize
	ucStack                    = linux.UcStack
	ucMctx                     = linux.UcMcontext
	ucSigmask                  = linux.UcSigmask
	scEDI, scESI, scEBP, scESP = linux.ScEDI, linux.ScESI, linux.ScEBP, linux.ScESP
	scEBX, scEDX, scECX, scEAX = linux.ScEBX, linux.ScEDX, linux.ScECX, linux.ScEAX
	scGS, scEIP, scEflags      = linux.ScGS, linux.ScEIP, linux.ScEflags
	scFpstate                  = linux.ScFpstate
	fpAreaSize                 = linux.FPStateSize
)

func put32(addr uintptr, v uint32) { *(*uint32)(unsafe.Pointer(addr)) = v }
func get32(addr uintptr) uint32    { return *(*uint32)(unsafe.Pointer(addr)) }

func sysRtSigaction(sig int, act, old, size uint32) int32 {
	if sig < 1 || sig > linux.NSIG || size != 8 {
		return -linux.EINVAL
	}
	if old != 0 {
		if !validRange(old, 20, true) {
			return -linux.EFAULT
		}
		a := &sigactions[sig]
		put32(uintptr(old), a.handler)
		put32(uintptr(old)+4, a.flags)
		put32(uintptr(old)+8, a.restorer)
		put32(uintptr(old)+12, uint32(a.mask))
		put32(uintptr(old)+16, uint32(a.mask>>32))
	}
	if act != 0 {
		if !validRange(act, 20, false) {
			return -linux.EFAULT
		}
		if sig == linux.SIGKILL || sig == linux.SIGSTOP {
			return -linux.EINVAL
		}
		a := &sigactions[sig]
		a.handler = get32(uintptr(act))
		a.flags = get32(uintptr(act) + 4)
		a.restorer = get32(uintptr(act) + 8)
		a.mask = uint64(get32(uintptr(act)+12)) | uint64(get32(uintptr(act)+16))<<32
	}
	return 0
}

const unblockable = linux.SigUnblockable

func sysRtSigprocmask(how int, set, old, size uint32) int32 {
	if size != 8 {
		return -linux.EINVAL
	}
	k := &kthreads[sch.Current()]
	if old != 0 {
		if !validRange(old, 8, true) {
			return -linux.EFAULT
		}
		put32(uintptr(old), uint32(k.sigmask))
		put32(uintptr(old)+4, uint32(k.sigmask>>32))
	}
	if set == 0 {
		return 0
	}
	if !validRange(set, 8, false) {
		return -linux.EFAULT
	}
	s := uint64(get32(uintptr(set))) | uint64(get32(uintptr(set)+4))<<32
	switch how {
	case linux.SIG_BLOCK:
		k.sigmask |= s
	case linux.SIG_UNBLK:
		k.sigmask &^= s
	case linux.SIG_SETMK:
		k.sigmask = s
	default:
		return -linux.EINVAL
	}
	k.sigmask &^= unblockable
	return 0
}

func onAltStack(k *kthread, sp uint32) bool {
	return k.altFlags&linux.SS_DISABLE == 0 && sp > k.altSP && sp <= k.altSP+k.altSize
}

func sysSigaltstack(ss, old uint32, tf *x86.TrapFrame) int32 {
	k := &kthreads[sch.Current()]
	if old != 0 {
		if !validRange(old, 12, true) {
			return -linux.EFAULT
		}
		flags := k.altFlags
		if onAltStack(k, tf.Esp) {
			flags |= linux.SS_ONSTACK
		}
		put32(uintptr(old), k.altSP)
		put32(uintptr(old)+4, flags)
		put32(uintptr(old)+8, k.altSize)
	}
	if ss == 0 {
		return 0
	}
	if !validRange(ss, 12, false) {
		return -linux.EFAULT
	}
	if onAltStack(k, tf.Esp) {
		return -linux.EPERM
	}
	sp, flags, size := get32(uintptr(ss)), get32(uintptr(ss)+4), get32(uintptr(ss)+8)
	if flags&linux.SS_DISABLE != 0 {
		k.altSP, k.altSize, k.altFlags = 0, 0, linux.SS_DISABLE
		return 0
	}
	if flags != 0 {
		return -linux.EINVAL
	}
	if size < 2048 {
		return -linux.ENOMEM
	}
	k.altSP, k.altSize, k.altFlags = sp, size, 0
	return 0
}

// sysTgkill queues sig for thread tid (the runtime's preemption signal).
func sysTgkill(tid int32, sig int) int32 {
	if sig < 0 || sig > linux.NSIG {
		return -linux.EINVAL
	}
	slot, ok := sch.SlotOfTid(tid)
	if !ok {
		return -linux.ESRCH
	}
	if sig != 0 {
		kthreads[slot].pending |= sigbit(sig)
	}
	return 0
}

// deliverSignals sets up the handler frame for the lowest pending, unblocked
// signal of slot (whose TrapFrame is at tfp) and returns tfp.
func deliverSignals(slot int, tfp uintptr) uintptr {
	k := &kthreads[slot]
	ready := k.pending &^ k.sigmask
	if ready == 0 {
		return tfp
	}
	sig := 1
	for ready&1 == 0 {
		ready >>= 1
		sig++
	}
	k.pending &^= sigbit(sig)
	tf := (*x86.TrapFrame)(unsafe.Pointer(tfp))
	act := &sigactions[sig]
	switch act.handler {
	case linux.SIG_IGN:
		return tfp
	case linux.SIG_DFL:
		if sig == linux.SIGURG || sig == linux.SIGCHLD || sig == 28 /* SIGWINCH */ {
			return tfp
		}
		puts("gojos: kernel killed by signal ")
		putDec(uint64(sig))
		puts("\n")
		fatal("unhandled signal", tf)
	}

	sp := tf.Esp
	if act.flags&linux.SA_ONSTACK != 0 && k.altFlags&linux.SS_DISABLE == 0 && !onAltStack(k, sp) {
		sp = k.altSP + k.altSize
	}
	fp := (sp - fpAreaSize) &^ 63
	f := ((fp - sfSize) &^ 15) - 4 // ESP+4 16-aligned at handler entry
	if !validRange(f, sp-f, true) {
		puts("gojos: cannot deliver signal ")
		putDec(uint64(sig))
		puts(": bad signal stack ")
		putHex(sp)
		puts("\n")
		fatal("bad signal stack", tf)
	}
	fa := uintptr(f)
	for i := uintptr(0); i < sfSize; i += 4 {
		put32(fa+i, 0)
	}
	put32(fa+sfPretcode, act.restorer)
	put32(fa+sfSig, uint32(sig))
	put32(fa+sfPinfo, f+sfInfo)
	put32(fa+sfPuc, f+sfUc)
	// siginfo: signo, errno, code, then si_addr (faults) or pid/uid (kill).
	put32(fa+sfInfo, uint32(sig))
	if sig == linux.SIGSEGV || sig == linux.SIGBUS || sig == linux.SIGFPE || sig == linux.SIGILL {
		put32(fa+sfInfo+8, uint32(k.faultCod))
		put32(fa+sfInfo+12, k.faultVA)
	} else {
		put32(fa+sfInfo+8, siTkill)
	}
	uc := fa + sfUc
	put32(uc+ucStack, k.altSP)
	if k.altFlags&linux.SS_DISABLE != 0 {
		put32(uc+ucStack+4, linux.SS_DISABLE)
	}
	put32(uc+ucStack+8, k.altSize)
	mc := uc + ucMctx
	regs := [...]uint32{tf.Gs, tf.Fs, tf.Es, tf.Ds, tf.Edi, tf.Esi, tf.Ebp, tf.Esp,
		tf.Ebx, tf.Edx, tf.Ecx, tf.Eax, tf.Trapno, tf.Err, tf.Eip, tf.Cs, tf.Eflags,
		tf.Esp, tf.Ss, fp, uint32(k.sigmask), k.faultVA}
	for i, v := range regs {
		put32(mc+uintptr(i)*4, v)
	}
	put32(uc+ucSigmask, uint32(k.sigmask))
	put32(uc+ucSigmask+4, uint32(k.sigmask>>32))
	copyMem(uintptr(fp), x86.FxArea(tfp), fpAreaSize)

	if act.flags&linux.SA_NODEFER == 0 {
		k.sigmask |= sigbit(sig)
	}
	k.sigmask |= act.mask &^ unblockable
	if act.flags&linux.SA_RESETHAND != 0 {
		act.handler = linux.SIG_DFL
	}
	tf.Esp = f
	tf.Eip = act.handler
	tf.Eax = uint32(sig)
	tf.Edx = f + sfInfo
	tf.Ecx = f + sfUc
	tf.Eflags &^= 1<<8 | 1<<10 // TF, DF
	return tfp
}

// sysRtSigreturn restores the context saved by deliverSignals. The frame
// starts 4 bytes below ESP (the handler's RET popped the return address).
func sysRtSigreturn(tf *x86.TrapFrame) {
	f := tf.Esp - 4
	if !validRange(f, sfSize, false) {
		fatal("rt_sigreturn with a bad frame", tf)
	}
	mc := uintptr(f) + sfUc + ucMctx
	r := func(i uintptr) uint32 { return get32(mc + i*4) }
	tf.Edi, tf.Esi, tf.Ebp, tf.Esp = r(scEDI), r(scESI), r(scEBP), r(scESP)
	tf.Ebx, tf.Edx, tf.Ecx, tf.Eax = r(scEBX), r(scEDX), r(scECX), r(scEAX)
	tf.Eip = r(scEIP)
	const userFlags = 0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x100 | 0x400 | 0x800 | 0x40000 | 0x10000
	tf.Eflags = tf.Eflags&^userFlags | r(scEflags)&userFlags
	if gs := r(scGS) & 0xFFFF; gs == x86.SelTLS || gs == 0 {
		tf.Gs = gs
	}
	tf.Cs, tf.Ss, tf.Ds, tf.Es, tf.Fs = x86.SelGoCode, x86.SelGoData, x86.SelGoData, x86.SelGoData, 0
	if fp := r(scFpstate); fp != 0 && fp&15 == 0 && validRange(fp, fpAreaSize, false) {
		area := x86.FxArea(uintptr(unsafe.Pointer(tf)))
		copyMem(area, uintptr(fp), fpAreaSize)
		put32(area+24, get32(area+24)&0xFFFF) // MXCSR: reserved bits would #GP
	}
	uc := uintptr(f) + sfUc
	k := &kthreads[sch.Current()]
	k.sigmask = (uint64(get32(uc+ucSigmask)) | uint64(get32(uc+ucSigmask+4))<<32) &^ unblockable
}
