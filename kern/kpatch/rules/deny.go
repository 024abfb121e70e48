package rules

import (
	"slices"
	"strings"

	"gojos/kern/functab"
)

// Deny lists are by package (and, for the runtime, which is one package, by
// source file): what a package is for decides, never a function's name.

type denied struct {
	rule Rule
	why  string
}

// deniedPackages maps a package path (or a path prefix ending in "/") to
// its rule and the reason.
var deniedPackages = map[string]denied{
	"gojos/kern/shim":       {TrapTier, "the trap tier (ring 0, no Go runtime underneath)"},
	"gojos/kern/arch/x86":   {TrapTier, "the trap tier's assembly and CPU access"},
	"gojos/kern/mm":         {TrapTier, "the trap tier's memory bookkeeping"},
	"gojos/kern/sched":      {TrapTier, "the trap tier's thread scheduler"},
	"gojos/kern/kabi":       {TrapTier, "the Go↔C bridges, which the trap tier resumes at when C code faults"},
	"gojos/kern/kabi/":      {Patcher, "the C prototype checks of the patcher"},
	"gojos/kern/kpatch":     {Patcher, "the patcher itself"},
	"gojos/kern/kpatch/":    {Patcher, "the patcher's planning and rules"},
	"gojos/kern/functab":    {Patcher, "the function table the patcher looks functions up in"},
	"gojos/kern/ksym":       {Patcher, "the symbol table the patcher resolves names with"},
	"gojos/kern/module":     {Patcher, "the module list the patcher checks replacements against"},
	"syscall":               {Patcher, "the system calls that write patches (SYS_gojos_textpoke)"},
	"internal/syscall/unix": {Patcher, "the system calls that write patches"},
	"sync":                  {Patcher, "the locks the patcher holds"},
	"sync/atomic":           {Patcher, "the atomics under the patcher's locks"},
	"internal/sync":         {Patcher, "the locks the patcher holds"},
	// The patcher's instruction decoder (kern/kpatch/plan): matched by
	// suffix in denyOf, whatever module path it comes from.
	"/x86/x86asm": {Patcher, "the instruction decoder the patcher plans with"},

	"internal/runtime/atomic":        {RuntimeCore, "the runtime's atomics"},
	"internal/runtime/syscall/linux": {RuntimeCore, "the runtime's system calls"},
	"internal/runtime/sys":           {RuntimeCore, "the runtime's CPU primitives"},
	"internal/abi":                   {RuntimeCore, "the runtime's type and function metadata"},
}

// runtimeFiles maps a source file of package runtime to why it is core.
var runtimeFiles = map[string]string{}

func init() {
	for why, files := range map[string][]string{
		"the scheduler": {"proc.go", "preempt.go", "lock_futex.go", "lock_spinbit.go", "lockrank_off.go",
			"rwmutex.go", "sema.go", "time.go", "netpoll.go", "netpoll_epoll.go", "os_linux.go",
			"os_linux32.go", "os_linux_x86.go", "sys_x86.go", "vdso_linux.go", "runtime2.go", "proflabel.go"},
		"stacks and tracebacks": {"stack.go", "stkframe.go", "traceback.go", "symtab.go",
			"symtabinl.go", "mgcstack.go"},
		"signals and panics": {"signal_unix.go", "signal_386.go", "signal_linux_386.go", "sigqueue.go",
			"panic.go"},
		"the allocator": {"malloc.go", "mcache.go", "mcentral.go", "mheap.go", "mfixalloc.go", "mem.go",
			"mem_linux.go", "mpagealloc.go", "mpagealloc_32bit.go", "mpagecache.go", "mpallocbits.go",
			"mspanset.go", "lfstack.go", "mgcsweep.go", "mgcscavenge.go"},
		"the garbage collector's marking and write barriers": {"mbarrier.go", "mwbbuf.go", "mbitmap.go",
			"mgcmark.go", "mgcmark_greenteagc.go", "mgcwork.go"},
		"64-bit arithmetic helpers called from nosplit code": {"vlrt.go"},
	} {
		for _, f := range files {
			runtimeFiles[f] = why
		}
	}
}

// Deny returns the deny-list rule for f (TrapTier, Patcher or RuntimeCore)
// and where it comes from ("gojos/kern/shim, the trap tier (…)"), or OK.
func Deny(f *functab.Func) (Rule, string) {
	pkg := functab.Package(f.Name)
	if pkg == "runtime" {
		if why, ok := runtimeFiles[f.File]; ok {
			return RuntimeCore, "the runtime's " + f.File + " (" + why + ")"
		}
		return OK, ""
	}
	if d, ok := deniedPackages[pkg]; ok {
		return d.rule, pkg + ", " + d.why
	}
	for _, p := range deniedPatterns {
		prefix := strings.HasSuffix(p, "/") && strings.HasPrefix(pkg, p)
		suffix := strings.HasPrefix(p, "/") && strings.HasSuffix(pkg, p)
		if prefix || suffix {
			d := deniedPackages[p]
			return d.rule, pkg + ", " + d.why
		}
	}
	return OK, ""
}

// deniedPatterns are deniedPackages' path prefixes and suffixes, sorted:
// Deny tries them in a fixed order (ranging over the map, as it did, would
// pick among two matching patterns at random) without walking the map at
// every call.
var deniedPatterns = func() []string {
	var ps []string
	for p := range deniedPackages {
		if strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/") {
			ps = append(ps, p)
		}
	}
	slices.Sort(ps)
	return ps
}()
