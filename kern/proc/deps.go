package proc

import (
	"io"
	"io/fs"

	"gojos/kern/klog"
)

// Deps is everything kern/proc is wired to. The kernel (kern/kmain) builds
// it once and passes it to Init before the first process starts; tests
// build their own. Nothing here is changed afterwards.
type Deps struct {
	// Root is the file system mounted at / (the initrd).
	Root fs.FS
	// Console is where a process without other files writes and reads;
	// ConsoleIn is the kernel's console reader that user reads of the
	// console go through (nil: Console's own Read).
	Console   io.ReadWriter
	ConsoleIn *ConsoleInput
	// KernelLog is the kernel log's syslog(2) state (nil: syslog is ENOSYS).
	KernelLog *klog.Syslog
	// Immutable is memory whose contents never change while the kernel
	// runs (the initrd, in place); programs read from it share their
	// read-only segments (text.go).
	Immutable []byte
	// KernelPD is the kernel page directory whose entries from UserHi up every
	// address space shares.
	KernelPD uint32
	// VDSO is the physical frames of the vDSO's ELF page and data page
	// (vdso.go); zero: processes get no vDSO.
	VDSO [2]uint32
	// Monotonic is CLOCK_MONOTONIC in ns: the trap tier's clock since boot,
	// which the vDSO also serves (nil: time since Init).
	Monotonic func() int64
	// PowerOff ends the system; halt's reboot(2) calls it.
	PowerOff func()
	// Patching serves live patching and modules.
	Patching Patching
	// Trace prints every user system call (kernel command line "utrace").
	Trace bool
}

// Patching is live patching and modules for user tools (kern/kpatch and
// kern/module, which this package does not depend on). A nil function
// makes its system calls ENOSYS.
type Patching struct {
	// Ctl serves one SYS_gojos_ctl request.
	Ctl func(req string) (string, error)
	// LoadModule links and initialises a module image.
	LoadModule func(data []byte, name string) error
	// UnloadModule removes a module by name.
	UnloadModule func(name string) error
}

var deps Deps

// Init wires the package to the kernel. It is called once, before Spawn.
func Init(d Deps) {
	deps = d
	kernelPD = d.KernelPD
}
