package kmain

import (
	"bytes"
	"runtime"
	"strconv"
	"strings"
	"time"

	"gojos/kern/arch/x86"
	"gojos/kern/kinfo"
	"gojos/kern/klog"
	"gojos/kern/module"
	"gojos/kern/proc"
	"gojos/kern/procinfo"
	"gojos/kern/tstamp"
)

// registerProcFiles adds the /proc files about the system (procinfo
// formats them) and the kernel log's readers.
func registerProcFiles() *klog.Syslog {
	uts := procinfo.Uname(runtime.Version())
	proc.RegisterProcFile("version", func() []byte { return procinfo.Version(uts, runtime.Version()) })
	proc.RegisterProcFile("cmdline", func() []byte { return []byte(kinfo.Bootinfo().CmdlineString() + "\n") })
	proc.RegisterProcFile("uptime", func() []byte {
		// Up: the TSC, as the log's timestamps; idle: the ticks that
		// found the CPU halted.
		si, _ := kinfo.Get()
		tick := time.Second / time.Duration(max(si.TickHz, 1))
		return procinfo.Uptime(logClock().Since(kinfo.TSC()), time.Duration(si.IdleTicks)*tick)
	})
	proc.RegisterProcFile("meminfo", func() []byte { return procinfo.Meminfo(memFigures()) })
	cpu := procinfo.DecodeCPU(x86.Cpuid)
	proc.RegisterProcFile("cpuinfo", func() []byte {
		si, _ := kinfo.Get()
		return procinfo.Cpuinfo(cpu, float64(si.TSCHz)/1e6)
	})
	if kprofile {
		registerKprofile()
	}
	if tstamp.Kernel.On {
		proc.RegisterProcFile("tstamp", func() []byte {
			si, _ := kinfo.Get()
			var b bytes.Buffer
			tstamp.Kernel.Format(&b, si.TSCHz)
			return b.Bytes()
		})
	}
	return &klog.Syslog{Ring: &klog.Kernel, Clock: logClock}
}

// logClock is the kernel log's timestamp calibration.
func logClock() klog.Clock {
	si, _ := kinfo.Get()
	return klog.Clock{Hz: si.TSCHz, Boot: si.TSCBoot}
}

func memFigures() procinfo.Mem {
	si, _ := kinfo.Get()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	m := procinfo.Mem{
		Total:     uint64(si.MemTotalKiB),
		Free:      uint64(si.MemFreeKiB),
		User:      uint64(proc.UserResidentKiB()),
		GoHeap:    ms.HeapSys >> 10,
		GoInUse:   ms.HeapInuse >> 10,
		KernelLog: klog.Size >> 10,
	}
	var modBytes uint64
	for _, l := range strings.Split(string(module.ProcModules()), "\n") {
		if f := strings.Fields(l); len(f) > 1 {
			if n, err := strconv.ParseUint(f[1], 10, 64); err == nil {
				modBytes += n
			}
		}
	}
	m.Modules = (modBytes + 1023) >> 10
	return m
}
