package proc

import (
	"encoding/binary"
	"fmt"

	"gojos/kern/abi/linux"
	"gojos/kern/tstamp"
)

// syscall handles the system call in t's saved registers: number in EAX,
// arguments in EBX, ECX, EDX, ESI, EDI, EBP; result in EAX. It returns
// false when the thread ends.
func (t *Thread) syscall() bool {
	r := &t.uc.Regs
	nr := r[linux.RegEAX]
	// The arguments go to the handler by pointer, in the thread: a copy of
	// the 24 bytes into each closure, on into dispatch and into the handler
	// (three calls of the runtime's block copy) was measurable at every
	// system call, and an array of syscall's own would escape to the heap
	// once its address reaches a handler.
	a := &t.sysArgs
	a[0], a[1], a[2], a[3], a[4], a[5] = r[linux.RegEBX], r[linux.RegECX], r[linux.RegEDX], r[linux.RegESI], r[linux.RegEDI], r[linux.RegEBP]
	ret, done := t.guardedDispatch(nr, a)
	if done {
		return false
	}
	if ret == errRestart {
		var insn [2]byte
		eip := r[linux.RegEIP]
		if t.restart() && t.P.as.CopyIn(eip-2, insn[:]) == nil && insn == [2]byte{0xCD, 0x80} {
			r[linux.RegEIP] = eip - 2 // INT $0x80 again once the handler returns
			r[linux.RegEAX] = nr
			return true
		}
		ret = -linux.EINTR
	}
	if nr == linux.SYS_rt_sigreturn {
		return ret == 0
	}
	if nr != linux.SYS_execve || ret < 0 {
		r[linux.RegEAX] = uint32(ret)
	}
	return true
}

// guardedDispatch is dispatch under guard's safety net (guard.go): a Go
// panic in the handler is a kernel bug, reported with the call, and ends
// the thread. It is guard written out for the system calls' hot path,
// without guard's two closures and their call.
func (t *Thread) guardedDispatch(nr uint32, a *args) (ret int32, exit bool) {
	defer func() {
		if v := recover(); v != nil {
			kernelBugs.Add(1)
			t.kernelBug("syscall "+callString(SyscallName(nr), *a), v)
			ret, exit = 0, true
		}
	}()
	return t.dispatch(nr, a)
}

func (t *Thread) dispatch(nr uint32, a *args) (ret int32, exit bool) {
	if deps.Trace || tstamp.Kernel.On {
		return t.dispatchRecorded(nr, a)
	}
	return t.call(nr, a)
}

// dispatchRecorded is dispatch with the system call traced to the console
// (deps.Trace) or recorded on the timeline (tstamp): kept out of dispatch,
// whose deferred calls cost every system call even when off.
func (t *Thread) dispatchRecorded(nr uint32, a *args) (ret int32, exit bool) {
	if deps.Trace {
		defer func() {
			fmt.Fprintf(deps.Console, "[%d] sys %d(%#x, %#x, %#x) = %d\n", t.Tid, nr, a[0], a[1], a[2], ret)
		}()
	}
	if tstamp.Kernel.On {
		tstamp.Kernel.Syscall(t.P.Pid, t.Tid, nr, int32(a[0]), false)
		defer func() { tstamp.Kernel.Syscall(t.P.Pid, t.Tid, nr, ret, true) }()
	}
	return t.call(nr, a)
}

// call runs the handler of system call nr.
func (t *Thread) call(nr uint32, a *args) (ret int32, exit bool) {
	i := -1
	if nr < uint32(len(sysIndex)) {
		i = int(sysIndex[nr])
	}
	if i < 0 {
		return -linux.ENOSYS, false
	}
	t.exitNow = false
	ret = Syscalls[i].Fn(t, a)
	return ret, t.exitNow
}

// sysnr is the number of the system call being answered (EAX until the
// result is stored).
func (t *Thread) sysnr() uint32 { return t.uc.Regs[linux.RegEAX] }

func errnoOr(err error, v int32) int32 {
	if err != nil {
		return errno(err)
	}
	return v
}

func le32(v uint32) []byte {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], v)
	return b[:]
}
