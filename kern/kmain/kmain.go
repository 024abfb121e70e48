// Package kmain is what the kernel does once the Go runtime is up: print
// the banner, then run what the command line asks for (the self-test, or
// the kernel console).
package kmain

import (
	"bufio"
	"fmt"
	"io"
	"runtime"
	"strings"

	"gojos/kern/kinfo"
	"gojos/kern/procinfo"
	"gojos/kern/tstamp"
)

// Version is the kernel's version string.
const Version = procinfo.Release

// Run prints the banner and runs the command line's request: "selftest"
// runs the in-kernel self-test and returns its verdict; otherwise the
// kernel console serves in and out until "halt".
func Run(args []string, in io.Reader, out io.Writer) error {
	tsc := kinfo.TSC()
	si, err := kinfo.Get()
	if err != nil {
		return fmt.Errorf("sysinfo: %v", err)
	}
	for _, a := range args {
		if a == "tstamp" { // the benchmarks' timeline, in /proc/tstamp
			tstamp.Kernel.Start(1<<15, kinfo.TSC)
			tstamp.Kernel.MarkAt("kernel entry", si.TSCBoot)
			tstamp.Kernel.MarkAt("kernel main", tsc)
		}
	}
	tuneGC(si.MemFreeKiB)
	tuneProcs()
	fmt.Fprintf(out, "gojos %s (i386, %s): %d MiB memory, %d MiB free, up %d ms\n",
		Version, runtime.Version(), si.MemTotalKiB>>10, si.MemFreeKiB>>10,
		kinfo.SincePowerOn(tsc, si).Milliseconds())
	utrace := false
	for _, a := range args {
		switch a {
		case "selftest":
			return runSelftest(out)
		case "kconsole":
			return kconsole(in, out)
		case "utrace":
			utrace = true
		case "kprofile":
			kprofile = true
		}
	}
	if err := startUserspace(out, utrace); err != nil {
		fmt.Fprintf(out, "gojos: no user space (%v); kernel console instead\n", err)
	}
	if consoleIn != nil {
		in = consoleIn // user space has started the console's one reader
	}
	return kconsole(in, out)
}

// kprofile: the command line asks for /proc/kprofile.
var kprofile bool

// consoleIn is the console reader user space shares, once it has started.
var consoleIn io.Reader

// kconsole is a minimal kernel console, for when there is no user space.
func kconsole(in io.Reader, out io.Writer) error {
	r := bufio.NewReader(in)
	for {
		fmt.Fprint(out, "gojos> ")
		line, err := r.ReadString('\n')
		if err != nil && line == "" {
			return err
		}
		switch f := strings.Fields(line); {
		case len(f) == 0:
		case f[0] == "help":
			fmt.Fprintln(out, "commands: help, mem, uptime, selftest, crash, halt")
		case f[0] == "selftest":
			if err := runSelftest(out); err != nil {
				fmt.Fprintln(out, err)
			}
		case f[0] == "crash":
			fmt.Fprintln(out, "gojos: dereferencing nil in the kernel, outside any recover")
			crash()
		case f[0] == "mem":
			si, _ := kinfo.Get()
			fmt.Fprintf(out, "physical: %d KiB, free %d KiB; Go heap: %s\n",
				si.MemTotalKiB, si.MemFreeKiB, heapSummary())
		case f[0] == "uptime":
			si, _ := kinfo.Get()
			fmt.Fprintf(out, "up %d ms, %d ticks, %d threads\n",
				kinfo.SincePowerOn(kinfo.TSC(), si).Milliseconds(), si.Ticks, si.Threads)
		case f[0] == "halt":
			fmt.Fprintln(out, "gojos: halting")
			return nil
		default:
			fmt.Fprintf(out, "%s: unknown command (try help)\n", f[0])
		}
	}
}

func heapSummary() string {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return fmt.Sprintf("%d KiB in use, %d GCs", ms.HeapAlloc>>10, ms.NumGC)
}
