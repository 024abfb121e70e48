package shim

import (
	"unsafe"

	"gojos/kern/abi/linux"
	"gojos/kern/arch/x86"
	"gojos/kern/klog"
)

// File descriptors of the kernel's own process: 0–2 are the console; the
// rest hold the runtime's netpoller objects (an epoll instance and an
// eventfd). The initrd file system arrives with user space. What the
// kernel writes to its standard output and error are its messages: they
// go to the kernel log and are echoed by level (logWrite); user processes'
// console output comes through SYS_gojos_conwrite instead.
const (
	maxFDs      = 32
	maxEpollReg = 8

	fdFree    = 0
	fdConsole = 1
	fdEventfd = 2
	fdEpoll   = 3

	chanConsole = 1 // sched wait channel: console input
	chanPoll    = 2 // sched wait channel: any epoll instance
)

type epollReg struct {
	fd     int32
	events uint32
	data   uint64
}

type fdesc struct {
	kind     uint8
	nonblock bool
	counter  uint64 // eventfd
	nreg     int    // epoll
	regs     [maxEpollReg]epollReg
}

var fds = [maxFDs]fdesc{0: {kind: fdConsole}, 1: {kind: fdConsole}, 2: {kind: fdConsole}}

func fdGet(fd int32) *fdesc {
	if fd < 0 || fd >= maxFDs || fds[fd].kind == fdFree {
		return nil
	}
	return &fds[fd]
}

func fdAlloc(kind uint8) int32 {
	for i := int32(3); i < maxFDs; i++ {
		if fds[i].kind == fdFree {
			fds[i] = fdesc{kind: kind}
			return i
		}
	}
	return -linux.EMFILE
}

// Console input: bytes received by the UART interrupt wait here.
var conIn struct {
	buf        [4096]byte
	head, tail uint32 // head == tail: empty
}

func consoleIRQ() {
	got := false
	for i := 0; i < 64 && x86.Inb(uartLSR)&lsrReady != 0; i++ {
		c := x86.Inb(uartData)
		if conIn.tail-conIn.head < uint32(len(conIn.buf)) {
			conIn.buf[conIn.tail%uint32(len(conIn.buf))] = c
			conIn.tail++
			got = true
		}
	}
	if got {
		sch.WakeChan(chanConsole, sched_all)
		sch.WakeChan(chanPoll, sched_all)
	}
}

func sysRead(tf *x86.TrapFrame, fd int32, buf, n uint32) int32 {
	f := fdGet(fd)
	if f == nil {
		return -linux.EBADF
	}
	if !validRange(buf, n, true) {
		return -linux.EFAULT
	}
	switch f.kind {
	case fdConsole:
		if n == 0 {
			return 0
		}
		if conIn.head == conIn.tail {
			if f.nonblock {
				return -linux.EAGAIN
			}
			blockRestart(tf, linux.SYS_read, chanConsole, 0)
			return 0
		}
		var i uint32
		for i = 0; i < n && conIn.head != conIn.tail; i++ {
			*(*byte)(ptr(uintptr(buf + i))) = conIn.buf[conIn.head%uint32(len(conIn.buf))]
			conIn.head++
		}
		return int32(i)
	case fdEventfd:
		if n < 8 {
			return -linux.EINVAL
		}
		if f.counter == 0 {
			return -linux.EAGAIN // the runtime's eventfd is non-blocking
		}
		put32(uintptr(buf), uint32(f.counter))
		put32(uintptr(buf)+4, uint32(f.counter>>32))
		f.counter = 0
		return 8
	}
	return -linux.EINVAL
}

func sysWrite(fd int32, buf, n uint32) int32 {
	f := fdGet(fd)
	if f == nil {
		return -linux.EBADF
	}
	if !validRange(buf, n, false) {
		return -linux.EFAULT
	}
	switch f.kind {
	case fdConsole:
		switch fd {
		case 1:
			logWrite(klog.StdoutLevel, uintptr(buf), n)
		case 2:
			logWrite(klog.StderrLevel, uintptr(buf), n)
		default:
			putMem(uintptr(buf), n)
		}
		return int32(n)
	case fdEventfd:
		if n < 8 {
			return -linux.EINVAL
		}
		f.counter += uint64(get32(uintptr(buf))) | uint64(get32(uintptr(buf)+4))<<32
		sch.WakeChan(chanPoll, sched_all)
		return 8
	}
	return -linux.EINVAL
}

// logWrite appends n bytes at p (already validated) to the kernel log,
// echoing what the log says to echo.
func logWrite(level uint8, p uintptr, n uint32) {
	klog.Kernel.Begin(level, x86.Tsc())
	for i := uint32(0); i < n; {
		c := *(*byte)(ptr(p + uintptr(i)))
		if klog.Kernel.Put(c) {
			putc(c)
		}
		i++
		// The rest of the line at once (Put has opened its record).
		k, echo := klog.Kernel.Run(unsafe.Slice((*byte)(ptr(p+uintptr(i))), n-i))
		if echo {
			putMem(p+uintptr(i), uint32(k))
		}
		i += uint32(k)
	}
	klog.Kernel.End()
}

// sysConwrite writes to the console without logging: user processes'
// output (SYS_gojos_conwrite).
func sysConwrite(buf, n uint32) int32 {
	if !validRange(buf, n, false) {
		return -linux.EFAULT
	}
	putMem(uintptr(buf), n)
	return int32(n)
}

func sysClose(fd int32) int32 {
	f := fdGet(fd)
	if f == nil {
		return -linux.EBADF
	}
	if f.kind != fdConsole {
		*f = fdesc{}
	}
	return 0
}

func sysFcntl(fd int32, cmd uint32) int32 {
	f := fdGet(fd)
	if f == nil {
		return -linux.EBADF
	}
	switch cmd {
	case linux.F_GETFD, linux.F_SETFD:
		return 0
	case linux.F_GETFL:
		fl := int32(linux.O_RDWR)
		if f.nonblock {
			fl |= linux.O_NONBLOCK
		}
		return fl
	case linux.F_SETFL:
		return 0
	}
	return -linux.EINVAL
}
