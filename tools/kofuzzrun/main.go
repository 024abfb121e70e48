// Command kofuzzrun runs the module loader's fuzzing campaign in QEMU: it boots
// an image whose initrd holds kofuzz's mutants, runs the guest's modfuzz over
// them, and when a mutant kills the kernel (QEMU ends) or hangs it (no outcome in
// time), records that and boots again from the next mutant, until every mutant
// has an outcome. It prints the figures, then every death, hang, probe failure
// and disagreement with the host's verdict (with the mutation, from MANIFEST):
//
//	kofuzzrun -image IMG [-mutants HOSTDIR] [-dir /lib/modules/fuzz] [-from 0]
//	          [-mutant-timeout 60s] [-boot-timeout 3m] [-results FILE] [-strict]
//
// -strict makes any death, hang, probe failure or mismatch an error (status 1).
// The images and bazel run targets are in tests/BUILD.bazel; docs/testing.md
// describes the campaign.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	var o options
	flag.StringVar(&o.image, "image", "", "disk image with the mutants in its initrd (required)")
	flag.StringVar(&o.qemu, "qemu", "qemu-system-i386", "QEMU binary")
	flag.StringVar(&o.dir, "dir", "/lib/modules/fuzz", "the mutants' directory in the guest")
	flag.StringVar(&o.mutants, "mutants", "", "the mutants' directory on the host (for MANIFEST's verdicts and mutations)")
	flag.IntVar(&o.from, "from", 0, "first mutant")
	flag.DurationVar(&o.mutantTime, "mutant-timeout", 60*time.Second, "a mutant without an outcome after this long hung the kernel")
	flag.DurationVar(&o.bootTime, "boot-timeout", 3*time.Minute, "longest a boot to the shell may take")
	flag.StringVar(&o.results, "results", "", "write every mutant's outcome to this file")
	flag.IntVar(&o.progressEach, "progress", 100, "print progress every N mutants (0: never)")
	flag.BoolVar(&o.strict, "strict", false, "fail on any kernel death, hang, probe failure or host mismatch")
	flag.Parse()
	if flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	o.image, o.mutants = runfile(o.image), runfile(o.mutants)
	if wd := os.Getenv("BUILD_WORKING_DIRECTORY"); o.results != "" && o.results[0] != '/' && wd != "" {
		o.results = wd + "/" + o.results // bazel run: relative to where it was started
	}
	if err := run(o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "kofuzzrun:", err)
		os.Exit(1)
	}
}

// runfile resolves a path given as $(rootpath ...) under bazel run: relative to
// the runfiles tree (the working directory) or to where bazel run was started.
func runfile(p string) string {
	if p == "" {
		return p
	}
	if _, err := os.Stat(p); err == nil {
		return p
	}
	if wd := os.Getenv("BUILD_WORKING_DIRECTORY"); wd != "" {
		if _, err := os.Stat(wd + "/" + p); err == nil {
			return wd + "/" + p
		}
	}
	return p
}
