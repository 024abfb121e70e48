package kmain

import (
	"fmt"
	"io"
	"os"
	"time"

	"gojos/kern/fs/tarfs"
	"gojos/kern/kinfo"
	"gojos/kern/kpatch"
	"gojos/kern/proc"
	"gojos/kern/tstamp"
)

// console joins the kernel's console input (read through one
// proc.ConsoleInput, shared with user processes) and the console output of
// user processes, which bypasses the kernel log (the kernel's own standard
// output goes to the log).
type console struct{ in io.Reader }

func (c console) Read(p []byte) (int, error) { return c.in.Read(p) }
func (console) Write(p []byte) (int, error)  { return kinfo.ConsoleWrite(p) }

// startUserspace mounts the initrd as / and runs /bin/init on the console
// as the first process (it starts the shell and adopts orphans), again
// whenever it exits. It returns an error if there is no init to run.
func startUserspace(out io.Writer, utrace bool) error {
	fsys, err := tarfs.New(kinfo.Initrd())
	if err != nil {
		return fmt.Errorf("initrd: %v", err)
	}
	tstamp.Kernel.Mark("initrd mounted")
	si, err := kinfo.Get()
	if err != nil {
		return err
	}
	d := proc.Deps{Root: fsys, KernelPD: si.KernelPD, Trace: utrace, VDSO: [2]uint32{si.VDSOCode, si.VDSOData}}
	// CLOCK_MONOTONIC's system call answers with the vDSO's clock.
	d.Monotonic = func() int64 { return int64(kinfo.SincePowerOn(kinfo.TSC()-si.TSCBoot, si)) }
	d.Immutable = kinfo.Initrd() // programs in it share their read-only segments
	d.Patching, err = startPatching(out)
	if err != nil {
		fmt.Fprintf(out, "gojos: live patching unavailable: %v\n", err)
	}
	tstamp.Kernel.Mark("live patching ready")
	d.KernelLog = registerProcFiles()
	d.ConsoleIn = proc.NewConsoleInput(os.Stdin)
	d.ConsoleIn.Signal = proc.ConsoleSignal
	consoleIn = d.ConsoleIn.Reader()
	d.Console = console{consoleIn}
	d.PowerOff = func() {
		fmt.Fprintln(out, "gojos: power off")
		os.Exit(0)
	}
	proc.Init(d)
	if d.Patching.Ctl != nil && warmPatching(si.MemFreeKiB) {
		// Live patching's tables are loaded before the shell starts: not
		// by the first kcall or kpatch, and not in the background while
		// the shell waits for its first line, where it held up a command
		// typed at once by tens of milliseconds (one CPU for every
		// goroutine).
		tstamp.Kernel.Mark("live patching warm-up")
		kpatch.Warm()
		tstamp.Kernel.Mark("live patching warmed")
	}
	prog, err := proc.FileBytes(initPath) // in place: its read-only segments are shared
	if err != nil {
		return fmt.Errorf("no %s in the initrd: %v", initPath, err)
	}
	for quick := 0; quick < 3; {
		start := time.Now()
		tstamp.Kernel.Mark("spawn " + initPath)
		files := proc.NewFileTable(proc.ConsoleFile)
		p, err := proc.Spawn(nil, "init", prog, []string{"init"}, []string{"PATH=/bin", "HOME=/", "TERM=dumb"}, files)
		if err != nil {
			return err
		}
		status := p.Wait()
		fmt.Fprintf(out, "gojos: init (%s, pid %d) exited with %s; starting a new one\n", initPath, p.Pid, status)
		if time.Since(start) < 2*time.Second {
			quick++
		} else {
			quick = 0
		}
	}
	return fmt.Errorf("%s keeps exiting at once", initPath)
}

// initPath is the first user program.
const initPath = "/bin/init"
