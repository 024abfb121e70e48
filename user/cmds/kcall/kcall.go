// Package kcall is the kcall command:
//
//	kcall name|address [argument...]
//
// asks the kernel to call a function — a kernel function (kpatch_test1,
// runtime.GC, strconv.Itoa, or any full Go name), a module's (test2,
// test:test2) or one at an address (0xc0101234) — with the arguments
// given, and prints what the kernel says, e.g. "kpatch_test1 returned 1"
// or `strconv.Itoa returned "42"`. Arguments are parsed by the kernel by
// the function's parameter types: integers (42, -1, 0x2a), bools
// (true/false), uintptr, strings (any word; a string with spaces is one
// shell argument: kcall strings.ToUpper "a b"). Results are printed by
// their Go types (C types for module functions). The kernel resolves and
// checks everything; its refusal prints "kcall: reason", status 1.
package kcall

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"gojos/user/internal/cmdutil"
	"gojos/user/internal/kctl"
)

// Run is the kcall command.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := cmdutil.FlagSet("kcall", "name|address [argument...]", stderr)
	if err := cmdutil.Parse(flags, args); err != nil {
		return err
	}
	if flags.NArg() < 1 {
		flags.Usage()
		return cmdutil.Usage
	}
	fn := flags.Arg(0)
	if !kctl.IsWord(fn) {
		fmt.Fprintf(stderr, "kcall: bad function %q\n", fn)
		flags.Usage()
		return cmdutil.Usage
	}
	req := []string{"kcall", fn}
	for _, a := range flags.Args()[1:] {
		req = append(req, Word(a))
	}
	return kctl.Do(strings.Join(req, " "), stdout)
}

// Word is an argument as one word of the request: as it is, or Go-quoted
// when it is empty, holds white space or control characters, or starts
// with a double quote (the kernel unquotes such words).
func Word(a string) string {
	if kctl.IsWord(a) && !strings.HasPrefix(a, `"`) && strconv.CanBackquote(a) {
		return a
	}
	return strconv.Quote(a)
}
