// Command qemu boots a gojos disk image in qemu-system-i386 with the serial
// console on the terminal; it is what `bazel run //:qemu` runs.
//
//	bazel run //:qemu                       boot; Ctrl-A X quits
//	bazel run //:qemu -- --gdb              wait for gdb on localhost:1234
//	bazel run //:qemu -- -- -d int -D q.log  pass arguments to QEMU
//
// The first -- ends Bazel's arguments; a second one ends the runner's, and
// everything after it goes to QEMU verbatim. The exit status is the guest's
// debug-exit value (0 for success) when the guest ended QEMU that way, QEMU's
// own status otherwise. See docs/testing.md.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"gojos/tools/console"
)

func main() {
	var o options
	flag.StringVar(&o.qemu, "qemu", console.DefaultQEMU, "QEMU binary (path or name on PATH)")
	flag.StringVar(&o.image, "image", "", "raw disk image to boot (required)")
	flag.StringVar(&o.kernel, "kernel", "", "kernel ELF with symbols (for --gdb)")
	flag.StringVar(&o.memory, "memory", console.DefaultMemory, "guest RAM (QEMU -m)")
	flag.BoolVar(&o.gdb, "gdb", false, "start stopped and wait for gdb on localhost:1234 (-s -S)")
	flag.BoolVar(&o.dryRun, "n", false, "print the QEMU command line instead of running it")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: qemu --image jos.img [--kernel kernel] [flags] [-- qemu-args...]\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	// Only what follows a literal -- goes to QEMU, so a mistyped flag
	// is not silently handed over.
	rest := os.Args[len(os.Args)-flag.NArg():]
	if len(rest) > 0 && os.Args[len(os.Args)-len(rest)-1] != "--" {
		fmt.Fprintf(os.Stderr, "qemu: unexpected argument %q; put QEMU arguments after --\n", rest[0])
		os.Exit(2)
	}
	o.extra = rest

	err := run(o, os.Getenv, os.Stdout, os.Stderr)
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		if ee.msg != "" {
			fmt.Fprintln(os.Stderr, ee.msg)
		}
		os.Exit(ee.code)
	case err != nil:
		fmt.Fprintf(os.Stderr, "qemu: %v\n", err)
		os.Exit(1)
	}
}
