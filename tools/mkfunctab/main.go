// Command mkfunctab writes the kernel's function table (kern/functab) from
// the kernel ELF, at build time.
//
//	mkfunctab -kernel kernel.elf -out functab.bin [-stats]
//
// -stats prints what the table holds, and how many functions kpatch may
// patch and how many each of its rules refuses (kern/kpatch/rules). The format and rules are in
// docs/design.md ("Function table").
package main

import (
	"debug/elf"
	"flag"
	"fmt"
	"io"
	"os"

	"gojos/kern/functab"
	"gojos/kern/functab/elfbuild"
	"gojos/kern/kpatch/plan"
	"gojos/kern/kpatch/rules"
)

type options struct {
	kernel, out string
	stats       bool
}

func main() {
	var o options
	flag.StringVar(&o.kernel, "kernel", "", "kernel ELF with DWARF and .symtab (required)")
	flag.StringVar(&o.out, "out", "", "function table to write (required)")
	flag.BoolVar(&o.stats, "stats", false, "print counts of the table's functions")
	flag.Parse()
	if flag.NArg() != 0 {
		fmt.Fprintf(os.Stderr, "mkfunctab: unexpected arguments %q\n", flag.Args())
		os.Exit(2)
	}
	if err := run(o, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "mkfunctab: %v\n", err)
		os.Exit(1)
	}
}

func run(o options, stdout io.Writer) error {
	if o.kernel == "" || o.out == "" {
		return fmt.Errorf("-kernel and -out are required")
	}
	f, err := elf.Open(o.kernel)
	if err != nil {
		return err
	}
	defer f.Close()
	t, err := elfbuild.Build(f)
	if err != nil {
		return fmt.Errorf("%s: %v", o.kernel, err)
	}
	b, err := functab.Encode(t)
	if err != nil {
		return fmt.Errorf("%s: %v", o.kernel, err)
	}
	back, err := functab.Decode(b)
	if err == nil {
		err = back.Same(t) // decodes every function: all of Decode's checks
	}
	if err != nil {
		return fmt.Errorf("the table does not decode to itself: %v", err)
	}
	if err := os.WriteFile(o.out, b, 0o644); err != nil {
		return err
	}
	if o.stats {
		if err := printStats(stdout, t, len(b)); err != nil {
			return err
		}
		code, err := elfbuild.EntryCode(f, plan.MaxCode)
		if err != nil {
			return err
		}
		c, err := rules.Count(t, code)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "\nwhat kpatch makes of them (kern/kpatch/rules; kpatch -s in the guest):\n%s", c)
	}
	return nil
}

func printStats(w io.Writer, t *functab.Table, size int) error {
	s, err := t.Stats()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "function table: %d bytes, build id %q, image sha256 %x\n", size, t.BuildID, t.ImageHash)
	for _, l := range []struct {
		what string
		n    int
	}{
		{"functions", s.Funcs},
		{"  in gojos/kern", s.Kern},
		{"  in runtime", s.Runtime},
		{"with signatures", s.Sig},
		{"assembly", s.Asm},
		{"nosplit (no stack check)", s.NoSplit},
		{"closures", s.Closures},
		{"wrappers", s.Wrappers},
		{"generic shapes", s.Generic},
		{"DWARF signature dropped", s.BadDWARF},
		{"inlined somewhere", s.Inlined},
		{"  with callers known", s.WithCallers},
		{"  call sites in them", s.InlineSites},
	} {
		fmt.Fprintf(w, "%-26s %6d\n", l.what, l.n)
	}
	return nil
}
