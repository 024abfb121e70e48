package proc

import (
	"errors"
	"path"
	"runtime"

	"gojos/kern/abi/linux"
	"gojos/kern/abi/signal"
	"gojos/kern/arch/x86"
)

func yield() { runtime.Gosched() }

func (t *Thread) sysSetThreadArea(uinfo uint32) int32 {
	var b [16]byte
	if err := t.P.as.CopyIn(uinfo, b[:]); err != nil {
		return errno(err)
	}
	entry := int32(le(b[0:]))
	if entry == -1 {
		entry = x86.TLSEntry
		if err := t.P.as.CopyOut(uinfo, le32(uint32(entry))); err != nil {
			return errno(err)
		}
	}
	if entry != x86.TLSEntry {
		return -linux.EINVAL
	}
	d, ok := x86.TLSDesc(le(b[4:]), le(b[8:]), le(b[12:]))
	if !ok {
		return -linux.EINVAL
	}
	t.uc.TLS = d
	return 0
}

func le(b []byte) uint32 { return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24 }

// sysClone creates a thread (CLONE_VM|CLONE_THREAD: the Go runtime's
// newosproc) or a vfork child (CLONE_VM|CLONE_VFORK: os/exec), which shares
// the address space until it calls execve or exits while the parent waits.
func (t *Thread) sysClone(a *args) int32 {
	flags, stack := a[0], a[1]
	p := t.P
	switch {
	case flags&linux.CLONE_THREAD != 0:
		if flags&linux.CLONE_VM == 0 {
			return -linux.EINVAL
		}
		nt := p.newThread(allocPid())
		*nt.uc = *t.uc
		nt.sigmask = t.sigmask
		nt.alt = signal.Stack{Flags: linux.SS_DISABLE}
		nt.uc.Regs[linux.RegEAX] = 0
		if stack != 0 {
			nt.uc.Regs[linux.RegESP] = stack
		}
		if flags&linux.CLONE_SETTLS != 0 {
			if r := nt.sysSetThreadArea(a[3]); r != 0 {
				return r
			}
		}
		go nt.run()
		return int32(nt.Tid)
	case flags&linux.CLONE_VFORK != 0 && flags&linux.CLONE_VM != 0:
		child := newProcess(p, p.Name, p.files.Fork())
		child.as = p.as
		child.sharesAS = true
		ct := child.newThread(allocPid())
		child.Pid = ct.Tid
		*ct.uc = *t.uc
		ct.sigmask = t.sigmask
		ct.alt = t.alt
		ct.uc.Regs[linux.RegEAX] = 0
		if stack != 0 {
			ct.uc.Regs[linux.RegESP] = stack
		}
		done := make(chan struct{})
		child.vforkDone = done
		register(child)
		go ct.run()
		<-done // the parent sleeps until the child execs or exits
		return int32(child.Pid)
	}
	return -linux.ENOSYS // fork without CLONE_VM: not supported
}

// sysExecve replaces the process's program. On success the calling thread
// continues at the new entry point (EAX is left as the new program expects).
func (t *Thread) sysExecve(pathAddr, argvAddr, envpAddr uint32) int32 {
	p := t.P
	file, err := t.path(pathAddr)
	if err != nil {
		return errno(err)
	}
	budget := maxArgBytes
	argv, err := t.strings(argvAddr, &budget)
	if err != nil {
		return errno(err)
	}
	envp, err := t.strings(envpAddr, &budget)
	if err != nil {
		return errno(err)
	}
	data, err := fileBytes(file)
	if err != nil {
		return errno(err)
	}
	img, err := Load(data, argv, envp, p.Cred())
	if err != nil {
		if errors.Is(err, linux.Errno(linux.ENOMEM)) {
			return -linux.ENOMEM
		}
		return -linux.ENOEXEC
	}
	p.mu.Lock()
	if len(p.threads) > 1 {
		p.mu.Unlock()
		img.AS.Destroy()
		return -linux.EBUSY // multi-threaded exec: not supported
	}
	old, shared := p.as, p.sharesAS
	p.as, p.sharesAS = img.AS, false
	lim := p.rlim
	p.Name = path.Base(file)
	vf := p.vforkDone
	p.vforkDone = nil
	p.mu.Unlock()
	img.AS.applyLimits(&lim)
	if !shared {
		old.Destroy()
	}
	if vf != nil {
		close(vf)
	}
	p.files.CloseOnExec()
	p.sig.reset()
	p.mu.Lock()
	p.execed = true
	p.mu.Unlock()
	t.alt = signal.Stack{Flags: linux.SS_DISABLE}
	*t.uc = linux.UserContext{}
	initFPU(t.uc)
	t.uc.Regs[linux.RegEIP] = img.Entry
	t.uc.Regs[linux.RegESP] = img.SP
	t.uc.Regs[linux.RegEFLAGS] = x86.FlagsUser
	return 0
}

// maxArgBytes bounds argv and envp together, NULs and pointers included,
// as Linux's ARG_MAX does (E2BIG beyond): a user's execve never makes the
// kernel copy more.
const maxArgBytes = 256 << 10

// strings reads a NULL-terminated array of string pointers, charging every
// string (and its pointer) to budget.
func (t *Thread) strings(addr uint32, budget *int) ([]string, error) {
	var out []string
	for addr != 0 {
		if *budget < 4 {
			return nil, linux.Errno(linux.E2BIG)
		}
		var b [4]byte
		if err := t.P.as.CopyIn(addr, b[:]); err != nil {
			return nil, err
		}
		ptr := le(b[:])
		if ptr == 0 {
			return out, nil
		}
		*budget -= 4
		s, err := t.P.as.ReadString(ptr, *budget)
		if err != nil {
			if err == ErrFault {
				return nil, err
			}
			return nil, linux.Errno(linux.E2BIG) // longer than what is left
		}
		*budget -= len(s) + 1
		out = append(out, s)
		addr += 4
	}
	return out, nil
}

const wnohang = 1

// sysWait4 waits for a child to exit and reaps it.
func (t *Thread) sysWait4(pid int32, statusAddr, options uint32) int32 {
	p := t.P
	for {
		p.mu.Lock()
		if len(p.children) == 0 {
			p.mu.Unlock()
			return -linux.ECHILD
		}
		var found *Process
		matched := false
		for cpid, c := range p.children {
			if pid > 0 && int32(cpid) != pid {
				continue
			}
			matched = true
			c.mu.Lock()
			ex := c.zombie
			c.mu.Unlock()
			if ex {
				found = c
				break
			}
		}
		if !matched {
			p.mu.Unlock()
			return -linux.ECHILD
		}
		if found != nil {
			delete(p.children, found.Pid)
			p.mu.Unlock()
			unregister(found)
			if statusAddr != 0 {
				if err := p.as.CopyOut(statusAddr, le32(uint32(found.status))); err != nil {
					return errno(err)
				}
			}
			return int32(found.Pid)
		}
		ch := p.childCh()
		p.mu.Unlock()
		if options&wnohang != 0 {
			return 0
		}
		select {
		case <-ch:
		case <-t.waitCh():
			return t.waitErr()
		}
	}
}

// childCh returns a channel closed at the next child exit (p.mu held).
func (p *Process) childCh() chan struct{} {
	if p.childEvent == nil {
		p.childEvent = make(chan struct{})
	}
	return p.childEvent
}

func (p *Process) childExited() {
	p.mu.Lock()
	ch := p.childEvent
	p.childEvent = nil
	p.mu.Unlock()
	if ch != nil {
		close(ch)
	}
}

// sysExit is exit(2): the calling thread ends.
func (t *Thread) sysExit() int32 {
	t.exitNow = true
	return 0
}

// sysExitGroup is exit_group(2): the process ends with status code.
func (t *Thread) sysExitGroup(code uint32) int32 {
	t.P.exit(int(code&0xFF) << 8)
	t.exitNow = true
	return 0
}

func (t *Thread) sysSetTidAddress(addr uint32) int32 {
	t.clearTID = addr
	return int32(t.Tid)
}

func (t *Thread) sysGetppid() int32 {
	if parent := t.P.Parent(); parent != nil {
		return int32(parent.Pid)
	}
	return 0
}

func (t *Thread) sysSchedYield() int32 {
	yield()
	return 0
}

// sysSchedGetaffinity reports one CPU.
func (t *Thread) sysSchedGetaffinity(size, mask uint32) int32 {
	if size < 4 {
		return -linux.EINVAL
	}
	return errnoOr(t.P.as.CopyOut(mask, []byte{1, 0, 0, 0}), 4)
}
