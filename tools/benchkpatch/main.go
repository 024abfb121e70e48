// Command benchkpatch boots gojos, times the seed scenario (QEMU start →
// "Hello World" from test.ko through a patched kpatch_test1), then runs the
// in-guest kbench command, which times patch, unpatch, kcall, insmod and
// rmmod, and the load+switch and unload of livepatch modules of 1, 8 and 32
// functions (consistency check included), with the guest's clock.
//
//	bazel run //tests:bench_kpatch [-- -n 500]
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	var o options
	flag.StringVar(&o.image, "image", "", "disk image booting to /bin/sh")
	flag.StringVar(&o.qemu, "qemu", "qemu-system-i386", "QEMU binary")
	flag.IntVar(&o.n, "n", 200, "kbench repetitions of patch/unpatch/kcall")
	flag.IntVar(&o.m, "m", 10, "kbench repetitions of insmod/rmmod")
	flag.IntVar(&o.lp, "lp", 10, "kbench repetitions of loading/unloading livepatch modules of 1, 8 and 32 functions")
	flag.Parse()
	if err := run(o, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "benchkpatch: %v\n", err)
		os.Exit(1)
	}
}
