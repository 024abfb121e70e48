package kabi

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"

	"gojos/kern/abi/linux"
	"gojos/kern/kabi/cproto"
)

// ModStackSize is the size of the stack C module code runs on.
const ModStackSize = 64 << 10

// modStackTop is the top of the module stack: mapped memory with
// inaccessible guard areas below it (a runaway recursion) and above it (C
// code that moves its stack pointer up, e.g. a corrupted "sub $n, %esp",
// and pushes), so that either faults — and is contained — instead of
// writing over kernel data. It lives high in the kernel's mmap window, away
// from the Go heap.
var modStackTop uintptr

const (
	modStackHint  = 0xBF800000
	modGuardBelow = 4 << 10
	modGuardAbove = 64 << 10
)

// stackReady is set once the module stack is mapped (modStackTop is valid).
var (
	stackReady atomic.Bool
	stackMu    sync.Mutex
)

// moduleStack maps the module stack at the first way into C code (a call,
// or a bridge a patch installs), not at boot: a kernel that never loads a
// module keeps the 64 KiB, and the boot its two system calls (about 2.5 ms
// under emulation). A failure (no memory) is that request's error; the
// next one tries again.
func moduleStack() error {
	if stackReady.Load() {
		return nil
	}
	stackMu.Lock()
	defer stackMu.Unlock()
	if !stackReady.Load() {
		if err := mapModuleStack(); err != nil {
			return err
		}
		stackReady.Store(true)
	}
	return nil
}

func mapModuleStack() error {
	total := modGuardBelow + ModStackSize + modGuardAbove
	r, _, e := syscall.Syscall6(syscall.SYS_MMAP2, modStackHint, uintptr(total), syscall.PROT_NONE,
		syscall.MAP_PRIVATE|syscall.MAP_ANON, ^uintptr(0), 0)
	if e != 0 {
		return fmt.Errorf("module stack: %v", e)
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(r)), total)
	stack := b[modGuardBelow : modGuardBelow+ModStackSize]
	if err := syscall.Mprotect(stack, syscall.PROT_READ|syscall.PROT_WRITE); err != nil {
		syscall.Munmap(b)
		return fmt.Errorf("module stack: %v", err)
	}
	for i := 0; i < len(stack); i += 4096 {
		stack[i] = 0 // commit every page now: C code runs with interrupts off
	}
	modStackTop = r + modGuardBelow + ModStackSize
	modStackBase = modStackTop
	return nil
}

// Call calls the C function at fn, which takes no arguments and returns an
// int, and returns its result. When the C code faults (a CPU exception, or a
// system call, in C code or in a KABI function it called) the call is
// unwound and the error is a *FaultError.
func Call(fn uintptr) (int32, error) {
	lo, _, err := CallArgs(fn, nil)
	return int32(lo), err
}

// MaxArgWords bounds the argument words of a call into C.
const MaxArgWords = 2 * cproto.MaxParams

// CallArgs calls the C function at fn with cdecl argument words (the first
// argument first, a long long as its low then its high word) and returns
// EAX and EDX; faults as Call.
func CallArgs(fn uintptr, args []uint32) (lo, hi uint32, err error) {
	if len(args) > MaxArgWords {
		return 0, 0, fmt.Errorf("%d argument words, at most %d", len(args), MaxArgWords)
	}
	if err := moduleStack(); err != nil {
		return 0, 0, err
	}
	var p *uint32
	if len(args) > 0 {
		p = &args[0]
	}
	lo, hi, seq := callC(fn, p, uint32(len(args)))
	runtime.KeepAlive(args)
	if seq != 0 {
		return 0, 0, faultError(seq)
	}
	return lo, hi, nil
}

// Faults returns the number of faults contained so far.
func Faults() uint32 { return atomic.LoadUint32(&G.Seq) }

// FaultsSince returns the faults recorded after sequence number seq that
// the ring still holds, oldest first.
func FaultsSince(seq uint32) []Fault {
	var out []Fault
	for {
		now := Faults()
		if now-seq > FaultRingSize {
			seq = now - FaultRingSize
		}
		out = out[:0]
		for s := seq + 1; s <= now; s++ {
			f := G.Ring[s%FaultRingSize]
			if f.Seq == s {
				out = append(out, f)
			}
		}
		if Faults() == now {
			return out
		}
	}
}

func faultError(seq uint32) error {
	f := G.Ring[seq%FaultRingSize]
	if f.Seq != seq {
		return &FaultError{Fault: Fault{Seq: seq}, Lost: true}
	}
	return &FaultError{Fault: f}
}

func callC(fn uintptr, args *uint32, n uint32) (lo, hi, fault uint32)
func callCResume()
func cBridge()
func cBridgeResume()
func cStore()
func kprintfEntry()
func cBridgeAddr() uintptr
func kprintfAddr() uintptr

// Exports is the KABI: the kernel functions C modules may call, by name.
func Exports() map[string]uint32 {
	return map[string]uint32{
		"kprintf": uint32(kprintfAddr()),
	}
}

// WaitFault blocks until the fault counter differs from seq (a futex wait
// on it: the trap tier wakes it when it contains a fault). It may return
// early; callers re-check.
func WaitFault(seq uint32) {
	syscall.Syscall6(syscall.SYS_FUTEX, uintptr(unsafe.Pointer(&G.Seq)), linux.FUTEX_WAIT, uintptr(seq), 0, 0, 0)
}
