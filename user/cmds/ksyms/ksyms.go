// Package ksyms is the ksyms command:
//
//	ksyms name|address
//
// looks a symbol up in the kernel's and the modules' symbol tables: a
// name gives its address, an address (0x...) the symbol and offset it lies
// at. It prints the kernel's answer; a failure prints "ksyms: reason",
// status 1.
package ksyms

import (
	"fmt"
	"io"

	"gojos/user/internal/cmdutil"
	"gojos/user/internal/kctl"
)

// Run is the ksyms command.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := cmdutil.FlagSet("ksyms", "name|address", stderr)
	if err := cmdutil.Parse(flags, args); err != nil {
		return err
	}
	if flags.NArg() != 1 {
		flags.Usage()
		return cmdutil.Usage
	}
	sym := flags.Arg(0)
	if !kctl.IsWord(sym) {
		fmt.Fprintf(stderr, "ksyms: bad symbol %q\n", sym)
		flags.Usage()
		return cmdutil.Usage
	}
	return kctl.Do("ksyms "+sym, stdout)
}
