// Command benchseed times gojos against the C original it re-creates (the
// seed), side by side on the same QEMU: N rounds, each booting both systems
// in turn (the order alternating), each boot running the seven-command seed
// scenario (docs/background.md). It prints, per system, the medians of QEMU
// start → first prompt, QEMU start → "Hello World" and the seven commands
// alone, and the ratios: of the medians, and the median of the ratios within
// each round (the systems of a round boot one after the other, so a host
// that changes speed between rounds moves these far less); then, from a gojos image booted with the kernel's
// timeline on ("tstamp"), the per-phase breakdown of the boot and of one
// command. Without -seed it measures gojos alone.
//
//	bazel run //tests:bench_vs_seed -- --seed DIR [-n 5]
//
// DIR holds the seed's kernel.img (disk 0) and fs.img (disk 1), and
// optionally its kernel ELF (named kernel), where kpatch_test2's address is
// read from; otherwise -seed-test2 gives it. -baseline adds another gojos
// image (an older build) to the same rounds, for before/after figures.
// gojos boots on its own machine (QEMU's PC without the VGA adapter and the
// network card it has no driver for); the seed on QEMU's default PC, which its
// CGA console uses, or with -seed-machine=gojos on the gojos machine too.
// -qemu-arg adds QEMU arguments for every system: with -icount the guest's
// clock counts instructions (docs/testing.md), for figures that do not
// move with the host's load.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	var o options
	flag.StringVar(&o.image, "image", "", "gojos disk image booting to /bin/sh")
	flag.StringVar(&o.tstampImage, "tstamp-image", "", "the same with the kernel command line word tstamp (the breakdowns); empty: none")
	flag.StringVar(&o.kernel, "kernel", "", "gojos's kernel ELF (kpatch_test2's address)")
	flag.StringVar(&o.baseline, "baseline", "", "another gojos image (e.g. an older build) booted in the same rounds, for before/after figures; empty: none")
	flag.StringVar(&o.baselineKernel, "baseline-kernel", "", "the baseline image's kernel ELF")
	flag.StringVar(&o.seed, "seed", "", "directory with the seed's kernel.img and fs.img; empty: gojos alone")
	flag.StringVar(&o.seedTest2, "seed-test2", "0xf01065eb", "kpatch_test2's address in the seed's kernel, when DIR has no kernel ELF")
	flag.StringVar(&o.seedMachine, "seed-machine", "own", "the seed's machine: own (QEMU's default PC, VGA adapter and network card included, as the seed was made for) or gojos (the gojos machine without them, for the same firmware work on both sides)")
	flag.StringVar(&o.qemu, "qemu", "qemu-system-i386", "QEMU binary (both systems)")
	flag.IntVar(&o.rounds, "n", 5, "rounds (each boots every system once)")
	flag.Func("qemu-arg", "a QEMU argument for every system, repeatable (e.g. -qemu-arg=-icount -qemu-arg=shift=3,sleep=off: guest time counts instructions, so runs repeat whatever the host's load)", func(v string) error {
		o.qemuArgs = append(o.qemuArgs, v)
		return nil
	})
	flag.Parse()
	if err := run(o, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "benchseed: %v\n", err)
		os.Exit(1)
	}
}
