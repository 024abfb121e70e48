// Package kcall is the kcall command:
//
//	kcall name|address
//
// asks the kernel to call a function that takes no arguments — a kernel
// function (kpatch_test1, or its full Go name), a module's (test2,
// test:test2) or one at an address (0xc0101234) — and prints what the
// kernel says, e.g. "kpatch_test1 returned 1". The kernel resolves and
// checks the argument; its refusal prints "kcall: reason", status 1.
package kcall

import (
	"fmt"
	"io"

	"gojos/user/internal/cmdutil"
	"gojos/user/internal/kctl"
)

// Run is the kcall command.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := cmdutil.FlagSet("kcall", "name|address", stderr)
	if err := cmdutil.Parse(flags, args); err != nil {
		return err
	}
	if flags.NArg() != 1 {
		flags.Usage()
		return cmdutil.Usage
	}
	fn := flags.Arg(0)
	if !kctl.IsWord(fn) {
		fmt.Fprintf(stderr, "kcall: bad function %q\n", fn)
		flags.Usage()
		return cmdutil.Usage
	}
	return kctl.Do("kcall "+fn, stdout)
}
