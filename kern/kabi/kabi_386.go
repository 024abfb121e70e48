package kabi

import (
	"sync/atomic"
	"syscall"
	"unsafe"

	"gojos/kern/abi/linux"
	"gojos/kern/arch/x86"
	"gojos/kern/klog"
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

func init() {
	total := modGuardBelow + ModStackSize + modGuardAbove
	r, _, e := syscall.Syscall6(syscall.SYS_MMAP2, modStackHint, uintptr(total), syscall.PROT_NONE,
		syscall.MAP_PRIVATE|syscall.MAP_ANON, ^uintptr(0), 0)
	if e != 0 {
		panic("kabi: module stack: " + e.Error())
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(r)), total)
	stack := b[modGuardBelow : modGuardBelow+ModStackSize]
	if err := syscall.Mprotect(stack, syscall.PROT_READ|syscall.PROT_WRITE); err != nil {
		panic("kabi: module stack: " + err.Error())
	}
	for i := 0; i < len(stack); i += 4096 {
		stack[i] = 0 // commit every page now: C code runs with interrupts off
	}
	modStackTop = r + modGuardBelow + ModStackSize
}

// Call calls the C function at fn, which takes no arguments and returns an
// int, and returns its result. When the C code faults (a CPU exception, or a
// system call, in C code or in a KABI function it called) the call is
// unwound and the error is a *FaultError.
func Call(fn uintptr) (int32, error) {
	r, seq := callC(fn)
	if seq != 0 {
		return 0, faultError(seq)
	}
	return int32(r), nil
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

func callC(fn uintptr) (ret uint32, fault uint32)
func callCResume()
func patchResume()
func patchBridge()
func kprintfEntry()
func patchBridgeAddr() uintptr
func kprintfAddr() uintptr

// Exports is the KABI: the kernel functions C modules may call, by name.
func Exports() map[string]uint32 {
	return map[string]uint32{
		"kprintf": uint32(kprintfAddr()),
	}
}

// PatchStub returns the 10 bytes of a stub placed in executable memory at
// addr: it loads the C function's address and jumps to the patch bridge, so
// that a Go function of type func() int32 whose entry jumps to the stub runs
// the C function instead.
func PatchStub(addr, cfunc uint32) [10]byte {
	var b [10]byte
	b[0] = 0xB8 // MOVL $cfunc, AX
	put32(b[1:], cfunc)
	b[5] = 0xE9 // JMP rel32 to the bridge
	put32(b[6:], uint32(patchBridgeAddr())-(addr+10))
	return b
}

func put32(b []byte, v uint32) {
	b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
}

const (
	com1    = 0x3F8
	lsr     = com1 + 5
	lsrTHRE = 0x20
)

//go:nosplit
func uartPut(c byte) {
	if !klog.Kernel.Put(c) { // logged; echoed by level
		return
	}
	if c == '\n' {
		uartRaw('\r')
	}
	uartRaw(c)
}

//go:nosplit
func uartRaw(c byte) {
	for i := 0; i < 1<<20 && x86.Inb(lsr)&lsrTHRE == 0; i++ {
	}
	x86.Outb(com1, c)
}

//go:nosplit
func load8(p uintptr) byte { return *(*byte)(unsafe.Pointer(p)) }

//go:nosplit
func load32(p uintptr) uint32 { return *(*uint32)(unsafe.Pointer(p)) }

// kprintfGo formats fmt with the cdecl variadic arguments at args and
// prints it to the kernel log (klog): %s %d %u %x %p %c %% (no flags or
// widths). It runs on the module stack: nosplit all the way, no runtime.
//
//go:nosplit
func kprintfGo(fmt, args uintptr) int32 {
	klog.Kernel.Begin(klog.KprintfLevel, x86.Tsc())
	n := int32(0)
format:
	for i := uintptr(0); i < 4096; i++ {
		c := load8(fmt + i)
		if c == 0 {
			break
		}
		if c != '%' {
			uartPut(c)
			n++
			continue
		}
		i++
		switch v := load8(fmt + i); v {
		case 0:
			break format
		case 's':
			s := uintptr(load32(args))
			args += 4
			if s == 0 {
				n += putStr("(null)")
				break
			}
			for j := uintptr(0); j < 4096; j++ {
				ch := load8(s + j)
				if ch == 0 {
					break
				}
				uartPut(ch)
				n++
			}
		case 'd':
			x := int32(load32(args))
			args += 4
			if x < 0 {
				uartPut('-')
				n++
				n += putNum(uint32(-x), 10, 0)
			} else {
				n += putNum(uint32(x), 10, 0)
			}
		case 'u':
			n += putNum(load32(args), 10, 0)
			args += 4
		case 'x':
			n += putNum(load32(args), 16, 0)
			args += 4
		case 'p':
			uartPut('0')
			uartPut('x')
			n += 2 + putNum(load32(args), 16, 8)
			args += 4
		case 'c':
			uartPut(byte(load32(args)))
			args += 4
			n++
		case '%':
			uartPut('%')
			n++
		default:
			uartPut('%')
			uartPut(v)
			n += 2
		}
	}
	klog.Kernel.End()
	return n
}

//go:nosplit
func putStr(s string) int32 {
	for i := 0; i < len(s); i++ {
		uartPut(s[i])
	}
	return int32(len(s))
}

//go:nosplit
func putNum(v uint32, base uint32, width int) int32 {
	var buf [12]byte
	i := len(buf)
	for v != 0 || i == len(buf) || len(buf)-i < width {
		i--
		buf[i] = "0123456789abcdef"[v%base]
		v /= base
	}
	for j := i; j < len(buf); j++ {
		uartPut(buf[j])
	}
	return int32(len(buf) - i)
}

// WaitFault blocks until the fault counter differs from seq (a futex wait
// on it: the trap tier wakes it when it contains a fault). It may return
// early; callers re-check.
func WaitFault(seq uint32) {
	syscall.Syscall6(syscall.SYS_FUTEX, uintptr(unsafe.Pointer(&G.Seq)), linux.FUTEX_WAIT, uintptr(seq), 0, 0, 0)
}
