// Command benchkpatch boots gojos, times the seed scenario (QEMU start →
// "Hello World" from test.ko through a patched kpatch_test1), then runs the
// in-guest kbench command, which times patch, unpatch, kcall, insmod and
// rmmod, and the load+switch and unload of livepatch modules of 1, 8 and 32
// functions (consistency check included), with the guest's clock.
//
//	bazel run //tests:bench_kpatch [-- -n 500]
//
// With -baseline IMG it boots that image beside -image instead and gives
// both the same short kbench rounds alternately (paired.go):
//
//	bazel run //tests:bench_kpatch -- -baseline OLD.img [-image NEW.img] [-rounds 15]
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
	flag.StringVar(&o.baseline, "baseline", "", "paired mode: a second image, booted beside -image; both run the same short kbench rounds alternately")
	flag.IntVar(&o.rounds, "rounds", 15, "paired mode: rounds")
	flag.IntVar(&o.sys, "sys", 20, "paired mode: kbench -sys batches (100 getpid calls each) per round")
	flag.IntVar(&o.pn, "pn", 50, "paired mode: kbench -n repetitions per round (a round stays short)")
	flag.Parse()
	if err := run(o, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "benchkpatch: %v\n", err)
		os.Exit(1)
	}
}
