package rules

import (
	"strings"

	"gojos/kern/functab"
)

// Deny lists are by package (and, for the runtime, which is one package, by
// source file): what a package is for decides, never a function's name.

type denied struct {
	rule Rule
	why  string
}

// deniedPackage returns the rule for a package path (or a path prefix
// ending in "/", or a suffix starting with "/") and the reason. The lists
// are switches, not maps: a map literal is built by the package's
// initialisation, at every boot, and under emulation these cost the boot
// several milliseconds though only a patch reads them.
func deniedPackage(pkg string) (denied, bool) {
	switch pkg {
	case "gojos/kern/shim":
		return denied{TrapTier, "the trap tier (ring 0, no Go runtime underneath)"}, true
	case "gojos/kern/arch/x86":
		return denied{TrapTier, "the trap tier's assembly and CPU access"}, true
	case "gojos/kern/mm":
		return denied{TrapTier, "the trap tier's memory bookkeeping"}, true
	case "gojos/kern/sched":
		return denied{TrapTier, "the trap tier's thread scheduler"}, true
	case "gojos/kern/kabi":
		return denied{TrapTier, "the Go↔C bridges, which the trap tier resumes at when C code faults"}, true
	case "gojos/kern/kabi/":
		return denied{Patcher, "the C prototype checks of the patcher"}, true
	case "gojos/kern/kpatch":
		return denied{Patcher, "the patcher itself"}, true
	case "gojos/kern/kpatch/":
		return denied{Patcher, "the patcher's planning and rules"}, true
	case "gojos/kern/functab":
		return denied{Patcher, "the function table the patcher looks functions up in"}, true
	case "gojos/kern/ksym":
		return denied{Patcher, "the symbol table the patcher resolves names with"}, true
	case "gojos/kern/module":
		return denied{Patcher, "the module list the patcher checks replacements against"}, true
	case "syscall":
		return denied{Patcher, "the system calls that write patches (SYS_gojos_textpoke)"}, true
	case "internal/syscall/unix":
		return denied{Patcher, "the system calls that write patches"}, true
	case "sync":
		return denied{Patcher, "the locks the patcher holds"}, true
	case "sync/atomic":
		return denied{Patcher, "the atomics under the patcher's locks"}, true
	case "internal/sync":
		return denied{Patcher, "the locks the patcher holds"}, true
	case "/x86/x86asm":
		// The patcher's instruction decoder (kern/kpatch/plan): matched
		// by suffix in Deny, whatever module path it comes from.
		return denied{Patcher, "the instruction decoder the patcher plans with"}, true
	case "internal/runtime/atomic":
		return denied{RuntimeCore, "the runtime's atomics"}, true
	case "internal/runtime/syscall/linux":
		return denied{RuntimeCore, "the runtime's system calls"}, true
	case "internal/runtime/sys":
		return denied{RuntimeCore, "the runtime's CPU primitives"}, true
	case "internal/abi":
		return denied{RuntimeCore, "the runtime's type and function metadata"}, true
	}
	return denied{}, false
}

// deniedPatterns are deniedPackage's path prefixes and suffixes, sorted:
// Deny tries them in this fixed order (a test checks the list against the
// switch).
var deniedPatterns = [...]string{"/x86/x86asm", "gojos/kern/kabi/", "gojos/kern/kpatch/"}

// runtimeFile returns why a source file of package runtime is core, or "".
func runtimeFile(file string) string {
	switch file {
	case "proc.go", "preempt.go", "lock_futex.go", "lock_spinbit.go", "lockrank_off.go",
		"rwmutex.go", "sema.go", "time.go", "netpoll.go", "netpoll_epoll.go", "os_linux.go",
		"os_linux32.go", "os_linux_x86.go", "sys_x86.go", "vdso_linux.go", "runtime2.go", "proflabel.go":
		return "the scheduler"
	case "stack.go", "stkframe.go", "traceback.go", "symtab.go", "symtabinl.go", "mgcstack.go":
		return "stacks and tracebacks"
	case "signal_unix.go", "signal_386.go", "signal_linux_386.go", "sigqueue.go", "panic.go":
		return "signals and panics"
	case "malloc.go", "mcache.go", "mcentral.go", "mheap.go", "mfixalloc.go", "mem.go",
		"mem_linux.go", "mpagealloc.go", "mpagealloc_32bit.go", "mpagecache.go", "mpallocbits.go",
		"mspanset.go", "lfstack.go", "mgcsweep.go", "mgcscavenge.go":
		return "the allocator"
	case "mbarrier.go", "mwbbuf.go", "mbitmap.go", "mgcmark.go", "mgcmark_greenteagc.go", "mgcwork.go":
		return "the garbage collector's marking and write barriers"
	case "vlrt.go":
		return "64-bit arithmetic helpers called from nosplit code"
	}
	return ""
}

// Deny returns the deny-list rule for f (TrapTier, Patcher or RuntimeCore)
// and where it comes from ("gojos/kern/shim, the trap tier (…)"), or OK.
func Deny(f *functab.Func) (Rule, string) {
	pkg := functab.Package(f.Name)
	if pkg == "runtime" {
		if why := runtimeFile(f.File); why != "" {
			return RuntimeCore, "the runtime's " + f.File + " (" + why + ")"
		}
		return OK, ""
	}
	if d, ok := deniedPackage(pkg); ok {
		return d.rule, pkg + ", " + d.why
	}
	for _, p := range deniedPatterns {
		prefix := strings.HasSuffix(p, "/") && strings.HasPrefix(pkg, p)
		suffix := strings.HasPrefix(p, "/") && strings.HasSuffix(pkg, p)
		if prefix || suffix {
			d, _ := deniedPackage(p)
			return d.rule, pkg + ", " + d.why
		}
	}
	return OK, ""
}
