// Command kofuzz writes deterministic mutants of a kernel module, for a fuzzing
// campaign of the kernel's module loader, and classifies each on the host with the
// loader's own code (kern/module/elfrel), which also fuzzes that code:
//
//	kofuzz -o DIR [-n 1000] [-seed 1] [-first 0] [-no-text] [-safe] [-key KEY.pem] valid.ko
//
// DIR gets NNNN.ko for mutants first .. first+n-1 and MANIFEST, one line per
// mutant: "NNNN.ko<TAB>verdict<TAB>mutation", the verdict being "load NAME",
// "load-changed NAME" (it loads, with other code, data or entry points than the
// valid module: its init or exit may fault) or "refuse REASON" (the loader's
// message, Go-quoted). Mutant i depends only on the seed and i, so a smaller
// campaign is a prefix of a larger one with the same seed and flags.
//
// Each mutant first gets a module name of its own (same length, so the file's
// layout does not change), then one mutation: byte flips, ELF header and section
// header fields (sh_info, sh_link, sh_offset, sh_size, sh_type, sh_flags, ...),
// a section header copied over another, symbol and relocation entries,
// truncations, .modinfo edits, bytes of the code, or several of these.
//
//	-no-text  no mutant changes bytes inside the executable sections
//	-safe     no mutant loads with changed code, data or entry points: only those
//	          the loader refuses and those that load exactly like the valid
//	          module (for a kernel that cannot survive a faulting module)
//	-key      sign every mutant with this module-signing key (PEM) after mutating
//	          it, so that a kernel trusting the key checks its structure: the
//	          signature check comes first and would refuse every mutant alike
//
// A signed input is stripped of its signature before it is mutated.
//
// kofuzz exits with status 1 if the loader panicked on any mutant.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	var o options
	flag.StringVar(&o.out, "o", "", "output directory (required)")
	flag.IntVar(&o.n, "n", 1000, "number of mutants")
	flag.Uint64Var(&o.seed, "seed", 1, "seed")
	flag.IntVar(&o.first, "first", 0, "index of the first mutant")
	flag.BoolVar(&o.noText, "no-text", false, "never change bytes of the executable sections")
	flag.BoolVar(&o.safe, "safe", false, "only mutants that are refused or load exactly like the valid module")
	flag.StringVar(&o.key, "key", "", "sign every mutant with this key (PEM)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: kofuzz -o DIR [-n N] [-seed S] [-first I] [-no-text] [-safe] [-key KEY.pem] valid.ko")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 || o.out == "" {
		flag.Usage()
		os.Exit(2)
	}
	o.in = flag.Arg(0)
	if err := run(o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "kofuzz:", err)
		os.Exit(1)
	}
}
