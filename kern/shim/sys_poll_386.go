package shim

import (
	"gojos/kern/abi/linux"
	"gojos/kern/arch/x86"
)

// The runtime's netpoller objects: eventfd and epoll over the kernel
// process's descriptor table (sys_file_386.go).

func sysEventfd(flags uint32) int32 {
	fd := fdAlloc(fdEventfd)
	if fd >= 0 {
		fds[fd].nonblock = flags&linux.O_NONBLOCK != 0
	}
	return fd
}

func sysEpollCreate() int32 { return fdAlloc(fdEpoll) }

func sysEpollCtl(epfd, op, fd int32, ev uint32) int32 {
	ep := fdGet(epfd)
	if ep == nil || ep.kind != fdEpoll || fdGet(fd) == nil {
		return -linux.EBADF
	}
	idx := -1
	for i := 0; i < ep.nreg; i++ {
		if ep.regs[i].fd == fd {
			idx = i
		}
	}
	switch op {
	case linux.EPOLL_CTL_ADD, linux.EPOLL_CTL_MOD:
		if !validRange(ev, 12, false) {
			return -linux.EFAULT
		}
		if op == linux.EPOLL_CTL_ADD {
			if idx >= 0 {
				return -linux.EEXIST
			}
			if ep.nreg == maxEpollReg {
				return -linux.ENOSPC
			}
			idx = ep.nreg
			ep.nreg++
		} else if idx < 0 {
			return -linux.ENOENT
		}
		ep.regs[idx] = epollReg{fd: fd, events: get32(uintptr(ev)),
			data: uint64(get32(uintptr(ev)+4)) | uint64(get32(uintptr(ev)+8))<<32}
	case linux.EPOLL_CTL_DEL:
		if idx < 0 {
			return -linux.ENOENT
		}
		ep.nreg--
		ep.regs[idx] = ep.regs[ep.nreg]
	default:
		return -linux.EINVAL
	}
	return 0
}

// readyEvents returns the events of reg that are ready now.
func readyEvents(reg *epollReg) uint32 {
	f := fdGet(reg.fd)
	if f == nil {
		return 0
	}
	var ev uint32
	switch f.kind {
	case fdEventfd:
		if f.counter > 0 {
			ev |= linux.EPOLLIN
		}
		ev |= linux.EPOLLOUT
	case fdConsole:
		if conIn.head != conIn.tail {
			ev |= linux.EPOLLIN
		}
		ev |= linux.EPOLLOUT
	}
	return ev & (reg.events | linux.EPOLLERR | linux.EPOLLHUP)
}

// sysEpollWait reports ready registrations; with none ready it blocks until
// an eventfd write or console input (or the timeout, in ms; -1 = forever)
// and is then restarted with the time left.
func sysEpollWait(tf *x86.TrapFrame, epfd int32, events uint32, max, timeout int32) int32 {
	ep := fdGet(epfd)
	if ep == nil || ep.kind != fdEpoll {
		return -linux.EBADF
	}
	if max <= 0 {
		return -linux.EINVAL
	}
	if !validRange(events, uint32(max)*12, true) {
		return -linux.EFAULT
	}
	n := int32(0)
	for i := 0; i < ep.nreg && n < max; i++ {
		if ev := readyEvents(&ep.regs[i]); ev != 0 {
			p := uintptr(events) + uintptr(n)*12
			put32(p, ev)
			put32(p+4, uint32(ep.regs[i].data))
			put32(p+8, uint32(ep.regs[i].data>>32))
			n++
		}
	}
	if n > 0 || timeout == 0 {
		return n
	}
	deadline := int64(0)
	if timeout > 0 {
		deadline = nanotime() + int64(timeout)*1000000
	}
	blockRestart(tf, tf.Eax, chanPoll, deadline)
	kthreads[sch.Current()].timeoutReg = regESI
	return 0
}
