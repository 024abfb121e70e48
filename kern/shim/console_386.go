package shim

import (
	"unsafe"

	"gojos/kern/arch/x86"
)

// COM1, a 16550 UART. Output is polled (no byte is ever dropped); input
// arrives by interrupt (IRQ 4) into conIn.
const (
	com1     = x86.COM1
	uartData = com1 + 0
	uartIER  = com1 + 1
	uartFCR  = com1 + 2
	uartLCR  = com1 + 3
	uartMCR  = com1 + 4
	uartLSR  = com1 + 5
	lsrReady = 0x01 // a received byte is waiting
	lsrTHRE  = 0x20 // transmit holding register empty

	debugExitPort = x86.DebugExit // QEMU isa-debug-exit: v → host status (v<<1)|1
)

func uartInit() {
	x86.Outb(uartIER, 0x00)
	x86.Outb(uartLCR, 0x80) // DLAB
	x86.Outb(uartData, 0x01)
	x86.Outb(uartIER, 0x00) // divisor 1: 115200 baud
	x86.Outb(uartLCR, 0x03) // 8N1
	x86.Outb(uartFCR, 0xC7) // FIFO on, cleared, 14-byte trigger
	x86.Outb(uartMCR, 0x0B) // DTR, RTS, OUT2 (routes the IRQ)
}

// uartEnableRx turns on the receive interrupt.
func uartEnableRx() { x86.Outb(uartIER, 0x01) }

func rawPutc(c byte) {
	for i := 0; i < 1<<20 && x86.Inb(uartLSR)&lsrTHRE == 0; i++ {
	}
	x86.Outb(uartData, c)
}

func putc(c byte) {
	if c == '\n' {
		rawPutc('\r')
	}
	rawPutc(c)
}

func puts(s string) {
	for i := 0; i < len(s); i++ {
		putc(s[i])
	}
}

// putMem writes n bytes at address p (already validated).
func putMem(p uintptr, n uint32) {
	for i := uint32(0); i < n; i++ {
		putc(*(*byte)(unsafe.Pointer(p + uintptr(i))))
	}
}

const hexDigits = "0123456789abcdef"

func putHex(v uint32) {
	puts("0x")
	for s := 28; s >= 0; s -= 4 {
		putc(hexDigits[v>>uint(s)&0xF])
	}
}

func putDec(v uint64) {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	for ; i < len(buf); i++ {
		putc(buf[i])
	}
}

func putInt(v int64) {
	if v < 0 {
		putc('-')
		putDec(uint64(-v))
		return
	}
	putDec(uint64(v))
}

// qemuExit ends QEMU with guest status v (host status (v<<1)|1) and halts
// if there is no isa-debug-exit device.
func qemuExit(v uint32) {
	x86.Outl(debugExitPort, v)
	for {
		x86.Cli()
		x86.Halt()
	}
}

func ptr(p uintptr) unsafe.Pointer { return unsafe.Pointer(p) }
