package shim

import (
	"unsafe"

	"gojos/kern/abi/signal"
	"gojos/kern/arch/x86"
	"gojos/kern/sched"
)

// Kernel threads: the Go runtime's Ms. The scheduling bookkeeping (states,
// run order, futex and sleep queues) is kern/sched; this file keeps what the
// CPU needs per thread, indexed by the same slot: a ring-0 stack whose top
// holds the thread's TrapFrame (and its FPU/SSE state just below) while it
// is not running, its TLS descriptor, and its signal state.
const (
	kstackSize = x86.KStackSize
	quantum    = 10 // ticks a thread runs before others get a turn
)

type kthread struct {
	kstack [kstackSize]byte
	tls    uint64 // GDT descriptor installed while the thread runs

	sigmask  uint64 // blocked signals (bit n-1 for signal n)
	pending  uint64
	faultVA  uint32 // si_addr and si_code of a pending synchronous signal
	faultCod int32
	alt      signal.Stack // sigaltstack
	ticks    uint32       // ticks used of the current quantum

	uctx uint32 // the linux.UserContext while the thread is in user mode
	// ucMemo and flushMemo remember the context and TLB word last found
	// valid at a user entry (validMemo).
	ucMemo, flushMemo rangeMemo

	wait       uint8 // how the thread blocked (sys_time_386.go)
	timeoutReg uint8
	deadline   int64
}

var (
	sch      sched.Table
	kthreads [sched.MaxThreads]kthread
)

// kstackBounds returns the ring-0 stack of slot; its top is 16-aligned.
func kstackBounds(slot int) (lo, hi uintptr) {
	lo = uintptr(unsafe.Pointer(&kthreads[slot].kstack[0]))
	hi = (lo + kstackSize) &^ 15
	return lo, hi
}

// frameOf returns the address of slot's saved TrapFrame (valid while the
// thread is not running in ring 0).
func frameOf(slot int) uintptr {
	_, hi := kstackBounds(slot)
	return hi - x86.FrameSize
}

func tfOf(slot int) *x86.TrapFrame { return (*x86.TrapFrame)(unsafe.Pointer(frameOf(slot))) }

// switchTo makes slot the running thread and returns its frame to resume.
func switchTo(slot int) uintptr {
	_, hi := kstackBounds(slot)
	x86.SetKernelStack(hi)
	x86.SetTLS(kthreads[slot].tls)
	sch.SetCurrent(slot)
	kthreads[slot].ticks = 0
	afterWake(slot, tfOf(slot))
	return deliverSignals(slot, frameOf(slot))
}

// copyMem copies n bytes between kernel addresses (signal frames, thread
// clones, text pokes). It is the runtime's memmove (a copy of byte slices: no
// write barrier, no g, no stack growth — a leaf assembly routine, which the
// trap tier may call; its SSE use is safe here, the interrupted context's
// state being saved at entry); a Go loop moving 32-bit words cost about
// 0.4 µs more per 600 bytes under TCG, and a byte loop microseconds.
func copyMem(dst, src uintptr, n uintptr) {
	copy(unsafe.Slice((*byte)(unsafe.Pointer(dst)), n), unsafe.Slice((*byte)(unsafe.Pointer(src)), n))
}
