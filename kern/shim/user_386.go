package shim

import (
	"unsafe"

	"gojos/kern/abi/linux"
	"gojos/kern/arch/x86"
)

// User mode. A kernel thread runs user code by calling SYS_gojos_runuser
// with a linux.UserContext: the trap tier loads the user's page directory
// and registers and IRETs to ring 3. The next trap from ring 3 — system
// call, fault or interrupt — saves the user state back into the context and
// returns to the kernel thread with the trap number, so every user system
// call and fault is handled by ordinary ring-1 Go code (kern/proc), and a
// user busy loop returns to the kernel on every timer tick.
//
// While the thread is in user mode its ring-1 frame (and FPU state) stays at
// the top of its ring-0 stack. The user frame is the context itself: entry
// IRETs from it, and a user trap pushes its frame into it (TSS.esp0 points
// there), then runs the trap tier below the ring-1 state.

const userCtxSize = uint32(unsafe.Sizeof(linux.UserContext{}))

// userFlags are the EFLAGS bits user code may set (CF PF AF ZF SF TF DF OF
// AC ID...) — never IF or IOPL.
const userFlags = 0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x100 | 0x400 | 0x800 | 0x40000 | 0x200000

// rangeMemo is a range validRange accepted for writing, and the kernel
// window's state generation it was checked against.
type rangeMemo struct {
	addr, n uint32
	gen     uint64
}

// validMemo is validRange(addr, n, true) for the pointers a thread hands
// over at every user entry, which are almost always the same ones: while
// the window's states have not changed since m was checked, the answer
// stands.
func validMemo(m *rangeMemo, addr, n uint32) bool {
	g := vms.Gen()
	if m.addr == addr && m.n == n && m.gen == g && n != 0 {
		return true
	}
	if !validRange(addr, n, true) {
		return false
	}
	*m = rangeMemo{addr, n, g}
	return true
}

func enterUser(cur int, uc uint32) uintptr {
	k := &kthreads[cur]
	if !validMemo(&k.ucMemo, uc, userCtxSize) {
		puts("gojos: runuser: bad context ")
		putHex(uc)
		puts("\n")
		tfOf(cur).Eax = uint32(0xFFFFFFFF - linux.EFAULT + 1)
		return frameOf(cur)
	}
	ctx := (*linux.UserContext)(ptr(uintptr(uc)))
	if ctx.CR3&0xFFF != 0 || ctx.CR3 == 0 || ctx.CR3 >= directLimit {
		puts("gojos: runuser: bad page directory ")
		putHex(ctx.CR3)
		puts("\n")
		tfOf(cur).Eax = uint32(0xFFFFFFFF - linux.EINVAL + 1)
		return frameOf(cur)
	}
	// The context is the user frame itself: Regs is a trap frame with its
	// FXSAVE area, Fx, right below it (linux.UserContext), which FXRSTOR
	// and FXSAVE need on a 16-byte boundary.
	uf := uintptr(unsafe.Pointer(&ctx.Regs[0]))
	fx := x86.FxArea(uf)
	if fx != uintptr(unsafe.Pointer(&ctx.Fx[0])) {
		puts("gojos: runuser: context's FPU area not 16-byte aligned ")
		putHex(uc)
		puts("\n")
		tfOf(cur).Eax = uint32(0xFFFFFFFF - linux.EINVAL + 1)
		return frameOf(cur)
	}
	k.uctx = uc
	put32(fx+24, get32(fx+24)&0xFFFF) // MXCSR: reserved bits would fault FXRSTOR
	tf := (*x86.TrapFrame)(ptr(uf))
	tf.Cs, tf.Ss = x86.SelUCode, x86.SelUData
	tf.Ds, tf.Es = x86.SelUData, x86.SelUData
	if tf.Gs != x86.SelTLS {
		tf.Gs = 0
	}
	if tf.Fs != x86.SelTLS {
		tf.Fs = 0
	}
	tf.Eflags = tf.Eflags&userFlags | x86.FlagsUser
	// The next user trap pushes its frame back into the context (the
	// writes above made its pages present), and the trap tier then runs
	// below the thread's ring-1 frame and FPU state, which stay at the top
	// of its ring-0 stack.
	_, hi := kstackBounds(cur)
	x86.SetUserEntry(uf+x86.FrameSize, x86.FxArea(frameOf(cur)), hi)
	x86.SetTLS(ctx.TLS)
	// The kernel's part of every page directory is the same, so the
	// directory stays loaded from trap to trap and is reloaded (emptying
	// the TLB) only for another process, or when the process's mappings
	// changed since (its TLB word). Interrupts are off: taking the word
	// and entering are one step.
	flush := true
	if ctx.Flush != 0 && ctx.Flush&3 == 0 && validMemo(&k.flushMemo, ctx.Flush, 4) {
		w := word(uintptr(ctx.Flush))
		flush = *w != 0
		*w = 0
	}
	if flush || x86.Rcr3()&^0xFFF != ctx.CR3 {
		x86.Lcr3(ctx.CR3)
	}
	return uf
}

// leaveUser completes the trapped user state in the thread's context (the
// trap itself saved the registers and the FPU state there: enterUser) and
// makes its SYS_gojos_runuser return the trap number.
func leaveUser(cur int, tfp uintptr, tf *x86.TrapFrame) {
	cr2 := x86.Rcr2() // before anything can fault
	// The user's page directory stays loaded (enterUser).
	k := &kthreads[cur]
	ctx := (*linux.UserContext)(ptr(uintptr(k.uctx)))
	if tfp != uintptr(unsafe.Pointer(&ctx.Regs[0])) {
		fatal("user trap outside the thread's user context", tf)
	}
	ctx.Trapno = tf.Trapno
	ctx.Err = tf.Err
	if tf.Trapno == x86.TrapPageFault {
		ctx.CR2 = cr2
	}
	k.uctx = 0
	x86.SetTLS(k.tls)
	_, hi := kstackBounds(cur)
	x86.SetKernelStack(hi)
	tfOf(cur).Eax = tf.Trapno
}

// userReserve is how many free frames user memory (gojos_palloc) may not
// take: the kernel's own heap grows into them, so that a user process that
// allocates without bound meets ENOMEM (and the OOM killer) instead of
// starving the kernel. Set at boot: 1/16 of memory, 2-16 MiB.
var userReserve int

func setUserReserve() {
	userReserve = min(max(frames.TotalCount()/16, 512), 4096)
}

func sysPalloc() int32 {
	if frames.FreeCount() <= userReserve {
		return -linux.ENOMEM
	}
	pa, ok := frames.Alloc()
	if !ok {
		return -linux.ENOMEM
	}
	zeroFrame(pa)
	return int32(pa)
}

func sysPfreev(list, n uint32) int32 {
	if n > linux.PfreevMax || !validRange(list, n*4, false) {
		return -linux.EINVAL
	}
	r := int32(0)
	for i := uint32(0); i < n; i++ {
		if e := sysPfree(get32(uintptr(list + 4*i))); e != 0 {
			r = e
		}
	}
	return r
}

func sysPfree(pa uint32) int32 {
	if pa&0xFFF != 0 {
		return -linux.EINVAL
	}
	if x86.Rcr3()&^0xFFF == pa && pa != kpd {
		// A page directory freed while loaded (its process is gone): back
		// to the kernel's before the frame can be reused.
		x86.Lcr3(kpd)
	}
	if !frames.Free(pa) {
		return -linux.EINVAL
	}
	return 0
}
