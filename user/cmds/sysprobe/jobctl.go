package sysprobe

import (
	"fmt"
	"syscall"
	"unsafe"
)

// probeJobctl: process groups, sessions and the console's foreground
// group with pids, groups and pointers that do not exist.
func probeJobctl(p *prober) {
	const nobody = 0x7ffffff0
	r, e := sys(syscall.SYS_SETPGID, 0, 0xffffffff)
	p.check("setpgid(0, -1)", r, e, syscall.EINVAL, nil)
	r, e = sys(syscall.SYS_SETPGID, nobody, 0)
	p.check("setpgid(0x7ffffff0, 0)", r, e, syscall.ESRCH, nil)
	r, e = sys(syscall.SYS_SETPGID, 0, nobody)
	p.check("setpgid(0, 0x7ffffff0)", r, e, syscall.EPERM, nil)
	r, e = sys(syscall.SYS_GETPGID, nobody)
	p.check("getpgid(0x7ffffff0)", r, e, syscall.ESRCH, nil)
	r, e = sys(syscall.SYS_GETPGID, 0xffffffff)
	p.check("getpgid(-1)", r, e, syscall.ESRCH, nil)
	r, e = sys(syscall.SYS_GETSID, nobody)
	p.check("getsid(0x7ffffff0)", r, e, syscall.ESRCH, nil)
	pgid := uintptr(syscall.Getpgrp())
	r, e = sys(syscall.SYS_GETPGID, 0)
	p.check("getpgid(0)", r, e, 0, func(v uintptr) bool { return v == pgid })
	r, e = sys(syscall.SYS_KILL, uintptr(-nobody&0xffffffff), 0)
	p.check("kill(-0x7ffffff0, 0)", r, e, syscall.ESRCH, nil)
	r, e = sys(syscall.SYS_KILL, 0x80000000, 0)
	p.check("kill(INT_MIN, 0)", r, e, syscall.ESRCH, nil)
	// The console's foreground group: only when standard input is it.
	var mode [64]byte
	if _, e := sys(syscall.SYS_IOCTL, 0, syscall.TCGETS, uintptr(unsafe.Pointer(&mode))); e != 0 {
		fmt.Fprintln(p.out, "sysprobe: standard input is not a terminal: TIOCSPGRP not probed")
		return
	}
	for _, v := range []struct {
		pgrp int32
		want syscall.Errno
	}{{-5, syscall.EINVAL}, {nobody, syscall.ESRCH}} {
		g := v.pgrp
		r, e = sys(syscall.SYS_IOCTL, 0, syscall.TIOCSPGRP, uintptr(unsafe.Pointer(&g)))
		p.check(fmt.Sprintf("ioctl(0, TIOCSPGRP, &%d)", v.pgrp), r, e, v.want, nil)
	}
	r, e = sys(syscall.SYS_IOCTL, 0, syscall.TIOCSPGRP, KernelAddr)
	p.check(fmt.Sprintf("ioctl(0, TIOCSPGRP, %#x)", KernelAddr), r, e, syscall.EFAULT, nil)
	r, e = sys(syscall.SYS_IOCTL, 0, syscall.TCSETS, KernelAddr)
	p.check(fmt.Sprintf("ioctl(0, TCSETS, %#x)", KernelAddr), r, e, syscall.EFAULT, nil)
}

// probeSyslog: syslog(2) with bad actions, buffers and lengths (gojos
// only: a Linux host may refuse reading the log to unprivileged users).
func probeSyslog(p *prober) {
	var buf [64]byte
	b := uintptr(unsafe.Pointer(&buf[0]))
	for _, c := range []struct {
		name           string
		action, a1, a2 uintptr
		want           syscall.Errno
	}{
		{"syslog(99, buf, 64)", 99, b, 64, syscall.EINVAL},
		{"syslog(-1, buf, 64)", 0xffffffff, b, 64, syscall.EINVAL},
		{"syslog(READ_ALL, NULL, 64)", 3, 0, 64, syscall.EINVAL},
		{"syslog(READ_ALL, buf, -1)", 3, b, 0xffffffff, syscall.EINVAL},
		{fmt.Sprintf("syslog(READ_ALL, %#x, 64)", KernelAddr), 3, KernelAddr, 64, syscall.EFAULT},
		{"syslog(CONSOLE_LEVEL, 0, 9)", 8, 0, 9, syscall.EINVAL},
		{"syslog(CONSOLE_LEVEL, 0, 0)", 8, 0, 0, syscall.EINVAL},
	} {
		r, e := sys(syscall.SYS_SYSLOG, c.action, c.a1, c.a2)
		p.check(c.name, r, e, c.want, nil)
	}
	r, e := sys(syscall.SYS_SYSLOG, 10, 0, 0)
	p.check("syslog(SIZE_BUFFER)", r, e, 0, func(v uintptr) bool { return v > 0 })
	r, e = sys(syscall.SYS_SYSLOG, 3, b, 0)
	p.check("syslog(READ_ALL, buf, 0)", r, e, 0, func(v uintptr) bool { return v == 0 })
	r, e = sys(syscall.SYS_SYSLOG, 3, b, 64)
	p.check("syslog(READ_ALL, buf, 64)", r, e, 0, func(v uintptr) bool { return v <= 64 })
}
