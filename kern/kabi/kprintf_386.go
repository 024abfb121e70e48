package kabi

import (
	"unsafe"

	"gojos/kern/arch/x86"
	"gojos/kern/klog"
)

// kprintf, the KABI's console output for C modules: polled UART output from
// nosplit Go code that touches nothing of the runtime (it runs on the module
// stack with interrupts off).

const (
	com1    = x86.COM1
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
// prints it: %s %d %u %x %p %c %% (no flags or widths). It runs on the
// module stack: nosplit all the way, no runtime.
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
