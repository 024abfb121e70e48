// Package kbench is the kbench command: it times live-patching operations
// from user space with the guest's clock (the kernel's TSC-based monotonic
// time) over many repetitions and prints median and range in microseconds.
//
//	kbench [-n 200] [-m 10] [-lp 10] [-sys 0] [-clock 0]
//
// The first line, "ctl round trip", is a request the system-call layer
// answers itself ("lasterror"): what patch, unpatch and kcall take beyond
// it is the live-patching code's. The "kernel side" lines are the kernel's
// own timing of the same patches and unpatches ("kpatch -t": from the
// request's dispatch to its answer, no system call around it).
//
// -sys N times only N batches of 100 getpid system calls (the cheapest
// round trip into the kernel and back) and prints the cost of one call.
//
// -clock N says whether the process has a vDSO (AT_SYSINFO_EHDR), checks
// that the runtime's CLOCK_MONOTONIC and CLOCK_REALTIME readings (the
// vDSO's, if any) lie between two readings of the clock_gettime system
// call, and times N batches of 100 of each kind of reading.
//
// -lp times loading a livepatch module of 1, 8 and 32 functions (load,
// checks, consistency check and the switch of all its functions: what
// init_module takes) and unloading it (revert and removal).
package kbench

import (
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"syscall"
	"time"

	"gojos/user/internal/kctl"
)

// Run executes the benchmark.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("kbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 200, "repetitions of patch, unpatch and kcall")
	m := fs.Int("m", 10, "repetitions of insmod/rmmod of test.ko")
	module := fs.String("ko", "/lib/modules/test.ko", "module for the insmod/rmmod timing")
	lpn := fs.Int("lp", 10, "repetitions of loading and unloading livepatch modules of 1, 8 and 32 functions (0: none)")
	sys := fs.Int("sys", 0, "only time N batches of 100 getpid system calls")
	clk := fs.Int("clock", 0, "only check the clocks and time N batches of 100 clock readings (vDSO and system call)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *clk > 0 {
		return clocks(*clk, stdout)
	}
	if *sys > 0 {
		syscalls(*sys, stdout)
		return nil
	}
	var empty, patch, unpatch, kcall []time.Duration
	if *n > 0 {
		if _, err := kctl.Ctl("kpatch -t"); err != nil { // a new record of the kernel's own times
			return fmt.Errorf("kpatch -t: %v", err)
		}
	}
	for i := 0; i < *n; i++ {
		d, err := timed(func() error { _, err := kctl.Ctl("lasterror"); return err })
		if err != nil {
			return fmt.Errorf("lasterror: %v", err)
		}
		empty = append(empty, d)
		d, err = timed(func() error { _, err := kctl.Ctl("kpatch kpatch_bench_a kpatch_bench_b"); return err })
		if err != nil {
			return fmt.Errorf("patch: %v", err)
		}
		patch = append(patch, d)
		d, err = timed(func() error { _, err := kctl.Ctl("kcall kpatch_bench_a"); return err })
		if err != nil {
			return fmt.Errorf("kcall: %v", err)
		}
		kcall = append(kcall, d)
		d, err = timed(func() error { _, err := kctl.Ctl("kpatch -u kpatch_bench_a"); return err })
		if err != nil {
			return fmt.Errorf("unpatch: %v", err)
		}
		unpatch = append(unpatch, d)
	}
	var kernelSide string
	if *n > 0 {
		var err error
		if kernelSide, err = kctl.Ctl("kpatch -t"); err != nil {
			return fmt.Errorf("kpatch -t: %v", err)
		}
	}
	var image []byte
	if *m > 0 {
		var err error
		if image, err = readFile(*module); err != nil {
			return err
		}
	}
	var ins, rm []time.Duration
	for i := 0; i < *m; i++ {
		d, err := timed(func() error { return kctl.InitModule(image, "") })
		if err != nil {
			return fmt.Errorf("insmod: %v", err)
		}
		ins = append(ins, d)
		d, err = timed(func() error { return kctl.DeleteModule("test", 0) })
		if err != nil {
			return fmt.Errorf("rmmod: %v", err)
		}
		rm = append(rm, d)
	}
	fmt.Fprintf(stdout, "kbench: guest clock, %d repetitions (%d for modules)\n", *n, *m)
	report(stdout, "ctl round trip (lasterror)", empty)
	report(stdout, "patch apply (kpatch A B)", patch)
	report(stdout, "unpatch (kpatch -u A)", unpatch)
	if err := reportKernelSide(stdout, kernelSide, *n); err != nil {
		return err
	}
	report(stdout, "kcall round trip", kcall)
	report(stdout, "insmod test.ko", ins)
	report(stdout, "rmmod test", rm)
	if *lpn > 0 {
		return livepatches(*lpn, stdout)
	}
	return nil
}

// livepatches times livepatch modules of 1, 8 and 32 functions.
func livepatches(n int, stdout io.Writer) error {
	for _, k := range []int{1, 8, 32} {
		name := fmt.Sprintf("lpbench%d", k)
		image, err := readFile("/lib/modules/livepatch/" + name + ".ko")
		if err != nil {
			return err
		}
		var load, unload []time.Duration
		for i := 0; i < n; i++ {
			d, err := timed(func() error { return kctl.InitModule(image, "") })
			if err != nil {
				return fmt.Errorf("load %s: %v", name, err)
			}
			load = append(load, d)
			d, err = timed(func() error { return kctl.DeleteModule(name, 0) })
			if err != nil {
				return fmt.Errorf("unload %s: %v", name, err)
			}
			unload = append(unload, d)
		}
		report(stdout, fmt.Sprintf("livepatch load+switch, %d", k), load)
		report(stdout, fmt.Sprintf("livepatch unload, %d", k), unload)
	}
	return nil
}

// syscalls times n batches of getpid calls and reports one call's cost.
func syscalls(n int, stdout io.Writer) {
	const batch = 100
	var ds []time.Duration
	for i := 0; i < n; i++ {
		t0 := time.Now()
		for j := 0; j < batch; j++ {
			syscall.RawSyscall(syscall.SYS_GETPID, 0, 0, 0)
		}
		ds = append(ds, time.Since(t0)/batch)
	}
	fmt.Fprintf(stdout, "kbench: guest clock, %d batches of %d calls\n", n, batch)
	report(stdout, "getpid system call", ds)
}

func timed(f func() error) (time.Duration, error) {
	t0 := time.Now()
	err := f()
	return time.Since(t0), err
}

func report(w io.Writer, what string, ds []time.Duration) {
	if len(ds) == 0 {
		return // -n 0 or -m 0: nothing timed
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	reportLine(w, what, s[len(s)/2], s[0], s[len(s)-1])
}

// reportLine prints one measure: its median, minimum and maximum.
func reportLine(w io.Writer, what string, med, lo, hi time.Duration) {
	us := func(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
	fmt.Fprintf(w, "  %-26s median %8.1f us  (min %8.1f, max %8.1f)\n", what, us(med), us(lo), us(hi))
}

// reportKernelSide prints the kernel's own timing of the patches and
// unpatches ("kpatch -t": lines "patch N median M min L max H ns"), in
// report's format; n is how many of each were made (0: none, no lines).
func reportKernelSide(w io.Writer, answer string, n int) error {
	if n == 0 {
		return nil
	}
	for _, op := range []struct{ name, what string }{{"patch", "patch apply, kernel side"}, {"unpatch", "unpatch, kernel side"}} {
		var name string
		var count int
		var med, lo, hi int64
		found := false
		for _, line := range strings.Split(answer, "\n") {
			if _, err := fmt.Sscanf(line, "%s %d median %d min %d max %d ns", &name, &count, &med, &lo, &hi); err == nil && name == op.name {
				found = true
				break
			}
		}
		if !found || count == 0 {
			return fmt.Errorf("kpatch -t: no timed %s requests in the kernel's answer %q", op.name, answer)
		}
		reportLine(w, op.what, time.Duration(med), time.Duration(lo), time.Duration(hi))
	}
	return nil
}

// readFile is os.ReadFile; a variable for tests.
var readFile = os.ReadFile
