package proc

import (
	"runtime"

	"gojos/kern/abi/linux"
	"gojos/kern/procinfo"
)

// System information and control for user processes: uname, getrandom,
// reboot (syslog(2) is in kmsg.go).

func (t *Thread) sysUname(addr uint32) int32 {
	u := procinfo.Uname(runtime.Version())
	u.Release = string(Release()) // utsRelease: patchable (//tests:kpatch_any)
	return errnoOr(t.P.as.CopyOut(addr, u.Bytes()), 0)
}

func (t *Thread) sysGetrandom(buf, n uint32) int32 {
	b := randomBytes(int(min(n, 1<<16)))
	return errnoOr(t.P.as.CopyOut(buf, b), int32(len(b)))
}

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
		return -linux.EINVAL
	}
	if cmd != rebootPowerOff && cmd != rebootHalt {
		return -linux.EINVAL
	}
	if deps.PowerOff == nil {
		return -linux.EPERM
	}
	deps.PowerOff()
	return 0
}
