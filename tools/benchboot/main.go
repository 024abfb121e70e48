// Command benchboot boots a gojos image several times and prints the median
// (and range) of the time from QEMU's start to chosen console milestones:
// by default the kernel banner and the end of the in-kernel self-test.
//
//	bazel run //tests:bench_boot -- -n 7
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	var o options
	flag.StringVar(&o.image, "image", "", "disk image whose command line runs the self-test (or, with -shell, boots to /bin/sh)")
	flag.StringVar(&o.qemu, "qemu", "qemu-system-i386", "QEMU binary")
	flag.IntVar(&o.runs, "n", 5, "number of boots")
	flag.BoolVar(&o.shell, "shell", false, "the image boots to /bin/sh: time the first prompt, then halt")
	flag.Parse()
	if err := run(o, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "benchboot: %v\n", err)
		os.Exit(1)
	}
}
