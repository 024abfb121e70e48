// Command mklivepatch is the build step of the gojos_livepatch rule
// (toolchain/livepatch.bzl), the project's kpatch-build: it checks every
// patch of a livepatch module against the kernel it is built for, with the
// kernel's own code (kern/kpatch/livepatch, kern/kpatch/rules,
// kern/kabi/cproto), and writes the module object with its patch table.
//
//	mklivepatch -rule LABEL -functab functab.bin -kernel kernel.elf \
//	    -obj module.o -out livepatch.o [-replace] \
//	    -patch TARGET=REPLACEMENT... [-force TARGET]...
//
// A target is a kernel function's full name or a unique tail of it
// (utsRelease, kdemo.Nap); the table records the full name and its
// signature hash, and the build id (the function table's image hash). A
// bad patch — an unknown or ambiguous target, one the kpatch rules refuse,
// an inlined one not listed in -force, a replacement that is not a global
// function of the module or whose declared prototype does not map onto the
// target's Go signature — fails the build with one line per bad patch
// naming the rule and the function.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(s string) error { *m = append(*m, s); return nil }

func main() {
	var o options
	flag.StringVar(&o.rule, "rule", "", "the rule's label, for messages")
	flag.StringVar(&o.functab, "functab", "", "the kernel's function table (//kern:functab)")
	flag.StringVar(&o.kernel, "kernel", "", "the kernel ELF (//kern:kernel)")
	flag.StringVar(&o.obj, "obj", "", "the module object (unsigned .ko)")
	flag.StringVar(&o.out, "out", "", "the object to write, with the patch table")
	flag.BoolVar(&o.replace, "replace", false, "atomic replace: take over every earlier livepatch module")
	flag.StringVar(&o.buildID, "build-id", "", "for tests only: record this build id (64 hex digits), not the kernel's")
	flag.Var(&o.patches, "patch", "TARGET=REPLACEMENT (repeated)")
	flag.Var(&o.force, "force", "TARGET that is inlined somewhere and patched anyway (repeated)")
	flag.Parse()
	if flag.NArg() != 0 {
		fmt.Fprintf(os.Stderr, "mklivepatch: unexpected arguments %q\n", flag.Args())
		os.Exit(2)
	}
	if err := run(o); err != nil {
		fmt.Fprintf(os.Stderr, "mklivepatch: %v\n", err)
		os.Exit(1)
	}
}
