package shim

import (
	"unsafe"

	"gojos/kern/abi/linux"
	"gojos/kern/abi/signal"
	"gojos/kern/arch/x86"
)

// Linux i386 signal delivery to the kernel's own Go code: the runtime's
// handlers (nil-pointer panics are SIGSEGV; async preemption is SIGURG from
// tgkill) run on the thread's sigaltstack with a Linux rt_sigframe, and
// rt_sigreturn restores the interrupted context, FPU/SSE state included.

// The process-wide signal actions (the kernel is one process to the runtime).
var sigactions [linux.NSIG + 1]signal.Action

const fpAreaSize = linux.FPStateSize

func put32(addr uintptr, v uint32) { *(*uint32)(unsafe.Pointer(addr)) = v }
func get32(addr uintptr) uint32    { return *(*uint32)(unsafe.Pointer(addr)) }

// mem is the n bytes at addr, an address validRange has accepted.
func mem(addr uint32, n int) []byte { return unsafe.Slice((*byte)(unsafe.Pointer(uintptr(addr))), n) }

func sysRtSigaction(tf *x86.TrapFrame, a args) int32 {
	sig, act, old, size := int(a[0]), a[1], a[2], a[3]
	if sig < 1 || sig > linux.NSIG || size != linux.SigsetSize {
		return -linux.EINVAL
	}
	if old != 0 {
		if !validRange(old, linux.SigactionSize, true) {
			return -linux.EFAULT
		}
		sigactions[sig].Put(mem(old, linux.SigactionSize))
	}
	if act != 0 {
		if !validRange(act, linux.SigactionSize, false) {
			return -linux.EFAULT
		}
		if sig == linux.SIGKILL || sig == linux.SIGSTOP {
			return -linux.EINVAL
		}
		sigactions[sig] = signal.GetAction(mem(act, linux.SigactionSize))
	}
	return 0
}

func sysRtSigprocmask(tf *x86.TrapFrame, a args) int32 {
	how, set, old, size := a[0], a[1], a[2], a[3]
	if size != linux.SigsetSize {
		return -linux.EINVAL
	}
	k := &kthreads[sch.Current()]
	if old != 0 {
		if !validRange(old, linux.SigsetSize, true) {
			return -linux.EFAULT
		}
		signal.PutMask(mem(old, linux.SigsetSize), k.sigmask)
	}
	if set == 0 {
		return 0
	}
	if !validRange(set, linux.SigsetSize, false) {
		return -linux.EFAULT
	}
	m, e := signal.Mask(k.sigmask, how, signal.GetMask(mem(set, linux.SigsetSize)))
	if e != 0 {
		return e.Neg()
	}
	k.sigmask = m
	return 0
}

func sysSigaltstack(tf *x86.TrapFrame, a args) int32 {
	ss, old := a[0], a[1]
	k := &kthreads[sch.Current()]
	if old != 0 {
		if !validRange(old, linux.StackTSize, true) {
			return -linux.EFAULT
		}
		k.alt.Report(tf.Esp).Put(mem(old, linux.StackTSize))
	}
	if ss == 0 {
		return 0
	}
	if !validRange(ss, linux.StackTSize, false) {
		return -linux.EFAULT
	}
	if k.alt.On(tf.Esp) {
		return -linux.EPERM
	}
	st, e := signal.Change(signal.GetStack(mem(ss, linux.StackTSize)))
	if e != 0 {
		return e.Neg()
	}
	k.alt = st
	return 0
}

// sysTgkill queues sig for thread tid (the runtime's preemption signal).
func sysTgkill(tid int32, sig uint32) int32 {
	if !signal.Valid(sig) {
		return -linux.EINVAL
	}
	slot, ok := sch.SlotOfTid(tid)
	if !ok {
		return -linux.ESRCH
	}
	if sig != 0 {
		kthreads[slot].pending |= signal.Bit(int(sig))
	}
	return 0
}

// deliverSignals sets up the handler frame for the lowest pending, unblocked
// signal of slot (whose TrapFrame is at tfp) and returns tfp. It runs at
// every return to ring 1: the common case, nothing pending, is kept apart
// from deliverSignal's large frame.
func deliverSignals(slot int, tfp uintptr) uintptr {
	k := &kthreads[slot]
	if k.pending == 0 {
		return tfp
	}
	sig := signal.Next(k.pending &^ k.sigmask)
	if sig == 0 {
		return tfp
	}
	return deliverSignal(k, sig, tfp)
}

// deliverSignal delivers sig, pending for k, whose TrapFrame is at tfp.
func deliverSignal(k *kthread, sig int, tfp uintptr) uintptr {
	k.pending &^= signal.Bit(sig)
	tf := (*x86.TrapFrame)(unsafe.Pointer(tfp))
	act := &sigactions[sig]
	switch act.Handler {
	case linux.SIG_IGN:
		return tfp
	case linux.SIG_DFL:
		if signal.DefaultIgnored(sig) {
			return tfp
		}
		puts("gojos: kernel killed by signal ")
		putDec(uint64(sig))
		puts("\n")
		fatal("unhandled signal", tf)
	}

	f, fp := signal.Frame(tf.Esp, act.Flags, k.alt)
	if !validRange(f, fp+fpAreaSize-f, true) {
		puts("gojos: cannot deliver signal ")
		putDec(uint64(sig))
		puts(": bad signal stack ")
		putHex(tf.Esp)
		puts("\n")
		fatal("bad signal stack", tf)
	}
	in := signal.Info{Sig: sig, Code: linux.SI_TKILL}
	if sig == linux.SIGSEGV || sig == linux.SIGBUS || sig == linux.SIGFPE || sig == linux.SIGILL {
		in.Code, in.Addr = k.faultCod, k.faultVA
	}
	mc := signal.Context{tf.Gs, tf.Fs, tf.Es, tf.Ds, tf.Edi, tf.Esi, tf.Ebp, tf.Esp,
		tf.Ebx, tf.Edx, tf.Ecx, tf.Eax, tf.Trapno, tf.Err, tf.Eip, tf.Cs, tf.Eflags,
		tf.Esp, tf.Ss, fp, uint32(k.sigmask), k.faultVA}
	signal.Build(mem(f, linux.SigframeSize), f, in, act.Restorer, k.alt, &mc, k.sigmask)
	copyMem(uintptr(fp), x86.FxArea(tfp), fpAreaSize)

	k.sigmask = signal.AfterDelivery(k.sigmask, sig, *act)
	if act.Flags&linux.SA_RESETHAND != 0 {
		act.Handler = linux.SIG_DFL
	}
	tf.Esp, tf.Eip, tf.Eax, tf.Edx, tf.Ecx = signal.HandlerEntry(f, sig, act.Handler)
	tf.Eflags &^= signal.EntryFlagsClear
	return tfp
}

// sysRtSigreturn restores the context saved by deliverSignals. The frame
// starts 4 bytes below ESP (the handler's RET popped the return address).
func sysRtSigreturn(tf *x86.TrapFrame, _ args) int32 {
	f := tf.Esp - 4
	if !validRange(f, linux.SigframeSize, false) {
		fatal("rt_sigreturn with a bad frame", tf)
	}
	mc, mask := signal.Read(mem(f, linux.SigframeSize))
	tf.Edi, tf.Esi, tf.Ebp, tf.Esp = mc[linux.ScEDI], mc[linux.ScESI], mc[linux.ScEBP], mc[linux.ScESP]
	tf.Ebx, tf.Edx, tf.Ecx, tf.Eax = mc[linux.ScEBX], mc[linux.ScEDX], mc[linux.ScECX], mc[linux.ScEAX]
	tf.Eip = mc[linux.ScEIP]
	tf.Eflags = tf.Eflags&^signal.UserFlags | mc[linux.ScEflags]&signal.UserFlags
	if gs := mc[linux.ScGS] & 0xFFFF; gs == x86.SelTLS || gs == 0 {
		tf.Gs = gs
	}
	tf.Cs, tf.Ss, tf.Ds, tf.Es, tf.Fs = x86.SelGoCode, x86.SelGoData, x86.SelGoData, x86.SelGoData, 0
	if fp := mc[linux.ScFpstate]; fp != 0 && fp&15 == 0 && validRange(fp, fpAreaSize, false) {
		area := x86.FxArea(uintptr(unsafe.Pointer(tf)))
		copyMem(area, uintptr(fp), fpAreaSize)
		put32(area+24, get32(area+24)&0xFFFF) // MXCSR: reserved bits would #GP
		// The saved state is complete unless the signal arrived at a
		// system call's return, whose frame keeps only the control words
		// (alltraps): resume as that trap would have been resumed, so an
		// interrupted thread gets its whole FPU/SSE state back.
		if mc[linux.ScTrapno] != x86.TrapSyscall {
			tf.Trapno = 0
		}
	}
	kthreads[sch.Current()].sigmask = mask
	keepEax = true
	return 0
}
