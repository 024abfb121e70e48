package shim

import (
	"gojos/kern/abi/linux"
	"gojos/kern/abi/signal"
	"gojos/kern/arch/x86"
)

// Threads of the kernel's runtime: clone, exit, exit_group, TLS, yield,
// affinity.

// sysClone creates a thread sharing everything (the runtime's newosproc):
// the child resumes at the same instruction with EAX = 0 and ESP = ECX.
func sysClone(tf *x86.TrapFrame) int32 {
	flags := tf.Ebx
	const need = linux.CLONE_VM | linux.CLONE_THREAD | linux.CLONE_SIGHAND
	if flags&need != need {
		logUnsupported("clone without CLONE_VM|CLONE_THREAD|CLONE_SIGHAND", flags)
		return -linux.ENOSYS
	}
	if flags&(linux.CLONE_SETTLS|linux.CLONE_PARENT_SETTID|linux.CLONE_CHILD_SETTID|linux.CLONE_CHILD_CLEARTID|linux.CLONE_VFORK) != 0 {
		logUnsupported("clone flags", flags)
		return -linux.EINVAL
	}
	slot, tid, ok := sch.New()
	if !ok {
		return -linux.EAGAIN
	}
	parent := sch.Current()
	pf := frameOf(parent)
	cf := frameOf(slot)
	copyMem(x86.FxArea(cf), x86.FxArea(pf), 512)
	copyMem(cf, pf, x86.FrameSize)
	child := tfOf(slot)
	child.Eax = 0
	child.Esp = tf.Ecx
	k := &kthreads[slot]
	p := &kthreads[parent]
	k.tls = p.tls
	k.sigmask = p.sigmask
	k.pending = 0
	k.alt = signal.Stack{Flags: linux.SS_DISABLE}
	return tid
}

// sysExit is exit(2): the calling thread ends; EAX is left alone.
func sysExit() int32 {
	sysExitThread()
	keepEax = true
	return 0
}

// sysSchedYield gives the CPU to the next runnable thread.
func sysSchedYield() int32 {
	needResched = true
	return 0
}

// sysRunuserMisplaced: Trap enters user mode for SYS_gojos_runuser before
// dispatching, so the table's entry is reached only if that ever changes.
func sysRunuserMisplaced(tf *frame) int32 {
	fatal("gojos_runuser reached the dispatcher", tf)
	return -linux.ENOSYS
}

// sysExitThread ends the calling thread (the runtime's exitThread, which
// has already released its stack: nothing of it is touched).
func sysExitThread() {
	sch.Exit(sch.Current())
}

// sysSetThreadArea installs the calling thread's TLS descriptor. gojos has
// one TLS slot (GDT entry x86.TLSEntry); entry_number -1 asks for it.
func sysSetThreadArea(uinfo uint32) int32 {
	if !validRange(uinfo, 16, true) {
		return -linux.EFAULT
	}
	entry := int32(get32(uintptr(uinfo)))
	if entry == -1 {
		entry = x86.TLSEntry
		put32(uintptr(uinfo), uint32(entry))
	}
	if entry != x86.TLSEntry {
		return -linux.EINVAL
	}
	desc, ok := x86.TLSDesc(get32(uintptr(uinfo)+4), get32(uintptr(uinfo)+8), get32(uintptr(uinfo)+12))
	if !ok {
		return -linux.EINVAL
	}
	kthreads[sch.Current()].tls = desc
	x86.SetTLS(desc)
	return 0
}

// sysSchedGetaffinity reports one CPU.
func sysSchedGetaffinity(size, mask uint32) int32 {
	if size < 4 {
		return -linux.EINVAL
	}
	if !validRange(mask, 4, true) {
		return -linux.EFAULT
	}
	put32(uintptr(mask), 1)
	return 4
}

func sysExitGroup(code int32) int32 {
	puts("gojos: kernel exited with status ")
	putInt(int64(code))
	puts("\n")
	qemuExit(uint32(code))
	return 0
}
