package shim

import (
	"unsafe"

	"gojos/kern/abi/linux"
	"gojos/kern/abi/signal"
	"gojos/kern/arch/x86"
	"gojos/kern/bootinfo"
	"gojos/kern/kabi"
)

// Trap handles the trap whose frame is at tfp and returns the frame to
// resume, which is another thread's after a context switch. It is the
// kernel's trapHandler (kern/arch/x86/trap_386.s calls it).
//
//go:linkname Trap gojos/kern/arch/x86.trapHandler
func Trap(tfp uintptr) uintptr {
	tf := (*x86.TrapFrame)(unsafe.Pointer(tfp))
	if tf.FromRing0() {
		return trapRing0(tfp, tf)
	}
	cur := sch.Current()
	if tf.Cs&3 == 3 {
		leaveUser(cur, tfp, tf)
		if tf.Trapno == x86.IRQBase {
			profileSample(linux.ProfileUser)
		}
		if tf.Trapno >= x86.IRQBase && tf.Trapno < x86.IRQBase+16 {
			irq(int(tf.Trapno-x86.IRQBase), true)
		}
		return schedule()
	}
	if tf.Trapno == x86.IRQBase {
		profileSample(tf.Eip)
	}
	if kabi.G.Active != 0 {
		return trapInC(tfp, tf)
	}
	if tf.Trapno == x86.TrapSyscall && tf.Eax == linux.SYS_gojos_runuser {
		return enterUser(cur, tf.Ebx)
	}
	switch {
	case tf.Trapno == x86.TrapSyscall:
		syscall(tf)
	case tf.Trapno >= x86.IRQBase && tf.Trapno < x86.IRQBase+16:
		irq(int(tf.Trapno-x86.IRQBase), true)
	case tf.Trapno == x86.TrapPageFault:
		va := x86.Rcr2()
		if !demandFault(va, tf.Err&x86.PFWrite != 0) {
			in := signal.FromPageFault(tf.Err, va)
			fault(cur, tf, in.Sig, in.Code, in.Addr)
		}
	case isUserFault(tf.Trapno):
		in, _ := signal.FromTrap(tf.Trapno, tf.Eip)
		fault(cur, tf, in.Sig, in.Code, in.Addr)
	default:
		fatal("unexpected trap from ring 1", tf)
	}
	return schedule()
}

// isUserFault reports whether trap is an exception Linux turns into a
// signal for the code that raised it (signal.FromTrap maps it).
func isUserFault(trap uint32) bool {
	_, known := signal.FromTrap(trap, 0)
	return known
}

// trapRing0 handles a trap that interrupted the trap tier itself: an
// interrupt while the idle loop waits, or a page fault on a committed page
// of the mmap window touched on the runtime's behalf. Anything else is a
// kernel bug.
func trapRing0(tfp uintptr, tf *x86.TrapFrame) uintptr {
	switch {
	case tf.Trapno >= x86.IRQBase && tf.Trapno < x86.IRQBase+16:
		if tf.Trapno == x86.IRQBase {
			profileSample(linux.ProfileIdle) // the idle loop is the trap tier's only interruptible code
		}
		irq(int(tf.Trapno-x86.IRQBase), false)
	case tf.Trapno == x86.TrapPageFault && demandFault(x86.Rcr2(), tf.Err&x86.PFWrite != 0):
	default:
		fatal("fault in the trap tier", tf)
	}
	return tfp
}

// irq handles hardware interrupt n. fromThread is false when it arrived in
// the idle loop.
func irq(n int, fromThread bool) {
	switch n {
	case 0:
		clock.ticks++
		vdsoTick()
		sch.Tick(nanotime())
		if !fromThread {
			clock.idle++
		}
		if fromThread {
			k := &kthreads[sch.Current()]
			k.ticks++
			if k.ticks >= quantum {
				needResched = true
			}
		}
	case 4:
		consoleIRQ()
	case 7, 15:
		// Possibly spurious; nothing to acknowledge on a spurious IRQ 7.
	}
	picEOIFor(n)
}

// trapInC handles a trap from ring 1 while C module code runs (kabi.G is
// active: a bridge entered C with interrupts off). A demand-zero page fault
// is served as usual; any other exception, and a system call, is contained:
// the guard records it and the thread resumes in the bridge's recovery
// entry on its Go stack, with the Go code's segments, flags and a clean
// FPU state, as if the C function had returned. The thread never switches
// here: the bridge still has interrupts off. An interrupt can only arrive if
// the C code enabled interrupts itself; it is served without a switch.
func trapInC(tfp uintptr, tf *x86.TrapFrame) uintptr {
	switch {
	case tf.Trapno >= x86.IRQBase && tf.Trapno < x86.IRQBase+16:
		irq(int(tf.Trapno-x86.IRQBase), false)
		return tfp
	case tf.Trapno == x86.TrapPageFault && demandFault(x86.Rcr2(), tf.Err&x86.PFWrite != 0):
		return tfp
	}
	g := &kabi.G
	addr := uint32(0)
	if tf.Trapno == x86.TrapPageFault {
		addr = x86.Rcr2()
	}
	if !validRange(g.SavedSP, 4, true) {
		fatal("module code faulted and the bridge's saved stack pointer is invalid", tf)
	}
	saved := get32(uintptr(g.SavedSP)) // the EFLAGS the bridge pushed
	g.Record(tf.Trapno, tf.Err, tf.Eip, addr, tf.Esp)
	tf.Eax = g.Seq
	tf.Eip = g.Resume
	tf.Esp = g.SavedSP + 4
	tf.Cs = x86.SelGoCode
	tf.Ss, tf.Ds, tf.Es = x86.SelGoData, x86.SelGoData, x86.SelGoData
	tf.Fs, tf.Gs = g.SavedFS, g.SavedGS
	tf.Eflags = x86.FlagsGo&^x86.FlagIF | saved&x86.FlagIF
	fx := x86.FxArea(tfp)
	put32(fx, 0x037F)    // FCW as at reset, FSW 0
	put32(fx+4, 0)       // FTW: every x87 register empty
	put32(fx+24, 0x1F80) // MXCSR as at reset
	sch.FutexWake(uint32(uintptr(unsafe.Pointer(&g.Seq))), 1<<30)
	return tfp
}

// fault turns a CPU exception in ring-1 code into a Linux signal for the
// thread, as a Linux kernel would for a user process. Without a handler
// (before the runtime installs its own) it is fatal, and so is a fault at a
// pc outside the kernel's text (other than a nil function call, which the
// runtime reports itself): the runtime's traceback cannot walk from there.
func fault(slot int, tf *x86.TrapFrame, sig int, code int32, addr uint32) {
	if sigactions[sig].Handler <= linux.SIG_IGN {
		fatal("fault before the runtime handles signals", tf)
	}
	if tf.Eip != 0 && (uintptr(tf.Eip) < kernBase+bootinfo.KernelLoad || uintptr(tf.Eip) >= kEtext) {
		fatal("fault at a pc outside the kernel's Go code", tf)
	}
	k := &kthreads[slot]
	k.faultVA = addr
	k.faultCod = code
	k.pending |= signal.Bit(sig)
	k.sigmask &^= signal.Bit(sig) // a synchronous fault is never deferred
}

// schedule picks the thread to run next and returns its frame. The current
// thread keeps the CPU unless it blocked, exited or used up its quantum.
func schedule() uintptr {
	cur := sch.Current()
	if sch.IsRunning(cur) && !needResched {
		return deliverSignals(cur, frameOf(cur))
	}
	needResched = false
	for {
		if next, ok := sch.PickNext(); ok {
			sch.ReapDead(next)
			if next == cur && sch.IsRunning(cur) {
				kthreads[cur].ticks = 0
				return deliverSignals(cur, frameOf(cur))
			}
			return switchTo(next)
		}
		idleWait()
	}
}

// needResched asks schedule to give other runnable threads a turn (quantum
// used up, sched_yield).
var needResched bool

// idleWait halts with interrupts on until an interrupt arrives (handled as
// a nested ring-0 trap, which may make a thread runnable).
func idleWait() {
	x86.StiHlt()
}
