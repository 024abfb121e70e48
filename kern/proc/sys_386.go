package proc

import (
	"encoding/binary"
	"fmt"
	"syscall"

	"gojos/kern/abi/linux"
	"gojos/kern/tstamp"
)

// syscall handles the system call in t's saved registers: number in EAX,
// arguments in EBX, ECX, EDX, ESI, EDI, EBP; result in EAX. It returns
// false when the thread ends.
func (t *Thread) syscall() bool {
	r := &t.uc.Regs
	nr := r[linux.RegEAX]
	a := [6]uint32{r[linux.RegEBX], r[linux.RegECX], r[linux.RegEDX], r[linux.RegESI], r[linux.RegEDI], r[linux.RegEBP]}
	ret, done := guard(func() (int32, bool) { return t.dispatch(nr, a) }, func(v any) {
		t.kernelBug("syscall "+callString(nr, a), v)
	})
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
		ret = -int32(syscall.EINTR)
	}
	if nr == linux.SYS_rt_sigreturn {
		return ret == 0
	}
	if nr != linux.SYS_execve || ret < 0 {
		r[linux.RegEAX] = uint32(ret)
	}
	return true
}

func (t *Thread) dispatch(nr uint32, a [6]uint32) (ret int32, exit bool) {
	p := t.P
	if Trace {
		defer func() {
			fmt.Fprintf(Console, "[%d] sys %d(%#x, %#x, %#x) = %d\n", t.Tid, nr, a[0], a[1], a[2], ret)
		}()
	}
	if tstamp.Kernel.On {
		tstamp.Kernel.Syscall(p.Pid, t.Tid, nr, int32(a[0]), false)
		defer func() { tstamp.Kernel.Syscall(p.Pid, t.Tid, nr, ret, true) }()
	}
	if r, ok := t.credSyscall(nr, a); ok {
		return r, false
	}
	switch nr {
	case linux.SYS_exit:
		return 0, true
	case linux.SYS_gojos_ctl:
		return t.sysCtl(a[0], a[1], a[2], a[3]), false
	case linux.SYS_init_module:
		return t.sysInitModule(a[0], a[1], a[2]), false
	case linux.SYS_finit_module:
		return t.sysFinitModule(int(a[0]), a[1]), false
	case linux.SYS_delete_module:
		return t.sysDeleteModule(a[0], a[1]), false
	case linux.SYS_reboot:
		return t.sysReboot(a[0], a[1], a[2]), false
	case linux.SYS_exit_group:
		p.exit(int(a[0]&0xFF) << 8)
		return 0, true
	case linux.SYS_read:
		return t.sysRead(int(a[0]), a[1], a[2])
	case linux.SYS_write:
		return t.sysWrite(int(a[0]), a[1], a[2])
	case linux.SYS_open:
		return t.sysOpen(a[0], a[1]), false
	case linux.SYS_openat:
		return t.sysOpenat(int32(a[0]), a[1], a[2]), false
	case linux.SYS_close:
		return errno(p.files.Close(int(a[0]))), false
	case linux.SYS_lseek:
		return t.sysLseek(int(a[0]), int32(a[1]), int(a[2])), false
	case linux.SYS_fcntl, linux.SYS_fcntl64:
		return t.sysFcntl(int(a[0]), a[1], a[2]), false
	case linux.SYS_ioctl:
		return t.sysIoctl(int(a[0]), a[1], a[2]), false
	case linux.SYS_fstat64, linux.SYS_fstat:
		return t.sysFstat(int(a[0]), a[1]), false
	case linux.SYS_stat64, linux.SYS_lstat64, linux.SYS_stat:
		return t.sysStatPath(a[0], a[1]), false
	case linux.SYS_newfstatat:
		return t.sysFstatat(int32(a[0]), a[1], a[2], a[3]), false
	case linux.SYS_statx:
		return -int32(syscall.ENOSYS), false
	case linux.SYS_getdents64:
		return t.sysGetdents64(int(a[0]), a[1], a[2]), false
	case linux.SYS_readlink:
		return t.sysReadlink(atFDCWD, a[0], a[1], a[2]), false
	case linux.SYS_readlinkat:
		return t.sysReadlink(int32(a[0]), a[1], a[2], a[3]), false
	case linux.SYS_access, linux.SYS_faccessat, linux.SYS_faccessat2:
		return t.sysAccess(nr, a), false
	case linux.SYS_getcwd:
		return t.sysGetcwd(a[0], a[1]), false
	case linux.SYS_chdir:
		return t.sysChdir(a[0]), false
	case linux.SYS_pipe, linux.SYS_pipe2:
		return t.sysPipe(a[0], a[1]), false
	case linux.SYS_dup:
		return t.sysDup(int(a[0])), false
	case linux.SYS_dup2:
		return t.sysDup3(a[0], a[1], 0, true), false
	case linux.SYS_dup3:
		return t.sysDup3(a[0], a[1], a[2], false), false
	case linux.SYS_brk:
		return int32(p.as.brk), false
	case linux.SYS_getrlimit:
		return t.sysGetrlimit(a[0], a[1], true), false
	case linux.SYS_ugetrlimit:
		return t.sysGetrlimit(a[0], a[1], false), false
	case linux.SYS_setrlimit:
		return t.sysSetrlimit(a[0], a[1]), false
	case linux.SYS_prlimit64:
		return t.sysPrlimit64(int32(a[0]), a[1], a[2], a[3]), false
	case linux.SYS_mmap2:
		return t.sysMmap2(a), false
	case linux.SYS_munmap:
		// Linux's checks, before any page is touched: the range must be
		// page-aligned, non-empty and inside user space.
		if a[0]&(page-1) != 0 || a[1] == 0 || !userRange(a[0], a[1]) {
			return -int32(syscall.EINVAL), false
		}
		return -p.as.Unmap(a[0], a[1]), false
	case linux.SYS_madvise:
		if a[2] == linux.MADV_DONTNEED || a[2] == linux.MADV_FREE {
			return -p.as.Discard(a[0], a[1]), false
		}
		return 0, false
	case linux.SYS_mprotect:
		return -p.as.Protect(a[0], a[1], a[2]), false
	case linux.SYS_clone:
		return t.sysClone(a), false
	case linux.SYS_execve:
		return t.sysExecve(a[0], a[1], a[2]), false
	case linux.SYS_wait4, linux.SYS_waitpid:
		return t.sysWait4(int32(a[0]), a[1], a[2]), false
	case linux.SYS_kill:
		return t.sysKill(int32(a[0]), a[1]), false
	case linux.SYS_tgkill:
		return t.sysTgkill(int32(a[1]), a[2]), false
	case linux.SYS_tkill:
		return t.sysTgkill(int32(a[0]), a[1]), false
	case linux.SYS_rt_sigreturn:
		if !t.sysRtSigreturn() {
			return -1, true
		}
		return 0, false
	case linux.SYS_set_thread_area:
		return t.sysSetThreadArea(a[0]), false
	case linux.SYS_set_tid_address:
		t.clearTID = a[0]
		return int32(t.Tid), false
	case linux.SYS_gettid:
		return int32(t.Tid), false
	case linux.SYS_getpid:
		return int32(p.Pid), false
	case linux.SYS_setpgid:
		return t.sysSetpgid(int32(a[0]), int32(a[1])), false
	case linux.SYS_getpgid:
		return t.sysGetpgid(int32(a[0])), false
	case linux.SYS_getpgrp:
		return t.sysGetpgid(0), false
	case linux.SYS_setsid:
		return t.sysSetsid(), false
	case linux.SYS_getsid:
		return t.sysGetsid(int32(a[0])), false
	case linux.SYS_syslog:
		return t.sysSyslog(int32(a[0]), a[1], a[2]), false
	case linux.SYS_getppid:
		if p.Parent != nil {
			return int32(p.Parent.Pid), false
		}
		return 0, false
	case linux.SYS_futex, linux.SYS_futex_time64:
		return t.sysFutex(a, nr == linux.SYS_futex_time64), false
	case linux.SYS_nanosleep, linux.SYS_clock_nanosleep, linux.SYS_clock_nanosleep64:
		return t.sysNanosleep(nr, a), false
	case linux.SYS_clock_gettime, linux.SYS_clock_gettime64:
		return t.sysClockGettime(int32(a[0]), a[1], nr == linux.SYS_clock_gettime64), false
	case linux.SYS_gettimeofday:
		return t.sysGettimeofday(a[0]), false
	case linux.SYS_sched_yield:
		yield()
		return 0, false
	case linux.SYS_sched_getaffinity:
		if a[1] < 4 {
			return -int32(syscall.EINVAL), false
		}
		return errnoOr(p.as.CopyOut(a[2], []byte{1, 0, 0, 0}), 4), false
	case linux.SYS_rt_sigaction:
		return t.sysRtSigaction(int(a[0]), a[1], a[2], a[3]), false
	case linux.SYS_rt_sigprocmask:
		return t.sysRtSigprocmask(a[0], a[1], a[2], a[3]), false
	case linux.SYS_sigaltstack:
		return t.sysSigaltstack(a[0], a[1]), false
	case linux.SYS_uname:
		return t.sysUname(a[0]), false
	case linux.SYS_prctl, linux.SYS_sched_setaffinity:
		return 0, false
	case linux.SYS_getrandom:
		b := randomBytes(int(min(a[1], 1<<16)))
		return errnoOr(p.as.CopyOut(a[0], b), int32(len(b))), false
	case linux.SYS_epoll_create1, linux.SYS_epoll_create:
		return t.sysEpollCreate(), false
	case linux.SYS_epoll_ctl:
		return t.sysEpollCtl(int(a[0]), int(a[1]), int(a[2]), a[3]), false
	case linux.SYS_epoll_pwait, linux.SYS_epoll_wait:
		return t.sysEpollWait(int(a[0]), a[1], int32(a[2]), int32(a[3])), false
	case linux.SYS_eventfd2, linux.SYS_eventfd:
		return t.sysEventfd(a[0], a[1]), false
	}
	return -int32(syscall.ENOSYS), false
}

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

// PowerOff ends the system (the kernel sets it); halt's reboot(2) calls it.
var PowerOff func()

const (
	rebootMagic1   = 0xfee1dead
	rebootMagic2   = 672274793
	rebootPowerOff = 0x4321fedc
	rebootHalt     = 0xcdef0123
)

func (t *Thread) sysReboot(m1, m2, cmd uint32) int32 {
	t.clearLastErr()
	if r := t.rootOnly("reboot", "halting or rebooting the system"); r != 0 {
		return r // Linux checks CAP_SYS_BOOT before the magic numbers too
	}
	if m1 != rebootMagic1 || m2 != rebootMagic2 {
		return -int32(syscall.EINVAL)
	}
	if cmd != rebootPowerOff && cmd != rebootHalt {
		return -int32(syscall.EINVAL)
	}
	if PowerOff == nil {
		return -int32(syscall.EPERM)
	}
	PowerOff()
	return 0
}
