package shim

import (
	"unsafe"

	"gojos/kern/abi/linux"
)

func sysGojosSysinfo(buf uint32) int32 {
	var si linux.Sysinfo
	if !validRange(buf, uint32(unsafe.Sizeof(si)), true) {
		return -linux.EFAULT
	}
	si.MemTotalKiB = uint32(frames.TotalCount()) * 4
	si.MemFreeKiB = uint32(frames.FreeCount()) * 4
	si.TSCHz = clock.tscHz
	si.TSCBoot = bootTSC
	si.Ticks = clock.ticks
	si.IdleTicks = clock.idle
	si.TickHz = TickHz
	si.Threads = uint32(sch.Live())
	si.KernelPD = kpd
	if !vdsoOff {
		si.VDSOCode, si.VDSOData = vdsoPhys[0], vdsoPhys[1]
		si.VDSOKernel = uint32(vdsoVA)
	}
	*(*linux.Sysinfo)(ptr(uintptr(buf))) = si
	return 0
}
