package shim

import (
	"unsafe"

	"gojos/kern/abi/linux"
	"gojos/kern/abi/signal"
	"gojos/kern/arch/x86"
	"gojos/kern/bootinfo"
)

// The initial ring-1 stack of the runtime's first thread (m0's g0 stack:
// the runtime assumes 64 KiB below the initial SP).
const mainStackSize = 256 << 10

var (
	mainStack [mainStackSize]byte
	bootInfo  *bootinfo.Info // stays valid: it lies in the direct map
	bootTSC   uint64
)

// Boot runs once on the boot stack, in ring 0, before the Go runtime
// exists: it sets up memory, the CPU tables, the devices and the first
// thread, and returns that thread's frame: the runtime's entry in ring 1
// with a Linux initial stack (argc, argv, envp, auxv).
//
//go:linkname Boot gojos/kern/arch/x86.bootHandler
func Boot(biPhys uint32) uintptr {
	bootTSC = x86.Tsc()
	uartInit()
	puts("gojos: trap tier up\n")
	if biPhys == 0 {
		puts("gojos: bad boot magic: not started by the gojos boot loader\n")
		qemuExit(3)
	}
	bi := (*bootinfo.Info)(ptr(p2v(biPhys)))
	if !bi.Valid() {
		puts("gojos: bad boot-info (magic, version or size)\n")
		qemuExit(3)
	}
	bootInfo = bi
	parseCmdline(bi)

	startCalibration() // the TSC's rate is measured while the boot goes on
	vmInit(bi)
	x86.InitIDT()
	picInit()
	clock.bootUnix = rtcUnix()
	vdsoBuild()
	clock.tscHz = finishCalibration()
	clock.tsc0 = bootTSC
	vdsoPublish()
	pitInit()

	slot, _, ok := sch.New()
	if !ok || slot != 0 {
		fatal("cannot create the first thread", nil)
	}
	sch.SetCurrent(slot)
	_, hi := kstackBounds(slot)
	x86.InitTSS(uint32(hi))
	kthreads[slot].alt = signal.Stack{Flags: linux.SS_DISABLE}

	tfp := frameOf(slot)
	tf := tfOf(slot)
	*tf = x86.TrapFrame{
		Eip:    uint32(x86.Rt0()),
		Cs:     x86.SelGoCode,
		Eflags: x86.FlagsGo,
		Esp:    buildInitialStack(bi),
		Ss:     x86.SelGoData,
		Ds:     x86.SelGoData,
		Es:     x86.SelGoData,
	}
	x86.Fninit()
	x86.Fxsave(x86.FxArea(tfp))

	picUnmask(0)
	picUnmask(4)
	uartEnableRx()
	puts("gojos: starting the Go runtime\n")
	x86.SetKernelStack(hi)
	return tfp
}

// Kernel command line: words with '=' become environment variables of the
// kernel's Go program (GOMAXPROCS=2, GODEBUG=...); "trace" turns on the
// system call trace; "novdso" gives neither the kernel's runtime nor user
// processes the vDSO (every clock reading is a system call again, for
// comparisons); other words become its arguments after argv[0].
var (
	cmdArgs [16][2]uint32 // start, end offsets into bootInfo.Cmdline
	nArgs   int
	cmdEnv  [16][2]uint32
	nEnv    int
)

func parseCmdline(bi *bootinfo.Info) {
	c := &bi.Cmdline
	i := uint32(0)
	for i < bootinfo.CmdlineSize && c[i] != 0 {
		for i < bootinfo.CmdlineSize && c[i] == ' ' {
			i++
		}
		start := i
		hasEq := false
		for i < bootinfo.CmdlineSize && c[i] != 0 && c[i] != ' ' {
			hasEq = hasEq || c[i] == '='
			i++
		}
		if i == start {
			break
		}
		word := c[start:i]
		if string(word) == "kprofile" {
			profile.on = true // from the first tick: the boot is profiled too (and it is also an argument)
		}
		switch {
		case string(word) == "trace": // compared without allocating
			trace = true
		case string(word) == "novdso":
			vdsoOff = true
		case hasEq && nEnv < len(cmdEnv):
			cmdEnv[nEnv] = [2]uint32{start, i}
			nEnv++
		case !hasEq && nArgs < len(cmdArgs):
			cmdArgs[nArgs] = [2]uint32{start, i}
			nArgs++
		}
	}
}

// buildInitialStack writes argc, argv, envp and auxv at the top of
// mainStack, as Linux does for a new program, and returns the initial SP.
func buildInitialStack(bi *bootinfo.Info) uint32 {
	base := uintptr(unsafe.Pointer(&mainStack[0]))
	top := base + mainStackSize
	// Strings and the 16 AT_RANDOM bytes go at the very top.
	sp := top
	pushStr := func(src uintptr, n uint32) uint32 {
		sp -= uintptr(n) + 1
		copyMem(sp, src, uintptr(n))
		*(*byte)(ptr(sp + uintptr(n))) = 0
		return uint32(sp)
	}
	const argv0 = "gojos-kernel"
	var argv [17]uint32
	var envp [17]uint32
	argv[0] = pushStr(uintptr(unsafe.Pointer(unsafe.StringData(argv0))), uint32(len(argv0)))
	cbase := uintptr(unsafe.Pointer(&bi.Cmdline[0]))
	for i := 0; i < nArgs; i++ {
		argv[1+i] = pushStr(cbase+uintptr(cmdArgs[i][0]), cmdArgs[i][1]-cmdArgs[i][0])
	}
	for i := 0; i < nEnv; i++ {
		envp[i] = pushStr(cbase+uintptr(cmdEnv[i][0]), cmdEnv[i][1]-cmdEnv[i][0])
	}
	sp = (sp - 16) &^ 15
	rnd := uint32(sp)
	for i := uintptr(0); i < 16; i += 8 {
		v := random()
		put32(sp+i, uint32(v))
		put32(sp+i+4, uint32(v>>32))
	}
	// Then the vectors, 16-byte aligned at argc.
	words := 1 + (1 + nArgs + 1) + (nEnv + 1) + 4*2 + 2
	sp = (sp - uintptr(words)*4) &^ 15
	p := sp
	push := func(v uint32) { put32(p, v); p += 4 }
	push(uint32(1 + nArgs))
	for i := 0; i <= nArgs; i++ {
		push(argv[i])
	}
	push(0)
	for i := 0; i < nEnv; i++ {
		push(envp[i])
	}
	push(0)
	push(linux.AT_PAGESZ)
	push(linux.PageSize)
	push(linux.AT_RANDOM)
	push(rnd)
	push(linux.AT_CLKTCK)
	push(100)
	if !vdsoOff {
		push(linux.AT_SYSINFO_EHDR) // the vDSO: the runtime's nanotime and walltime
		push(uint32(vdsoVA))
	}
	push(linux.AT_NULL)
	push(0)
	return uint32(sp)
}
