// Package rmmod is the rmmod command:
//
//	rmmod module ...
//
// unloads each module with delete_module(name, O_NONBLOCK). A module may
// also be named by its file (test.ko, /lib/modules/test.ko). A failure
// prints "rmmod: module: reason" (the kernel's reason, or the errno's
// text) and makes the status 1.
package rmmod

import (
	"fmt"
	"io"
	"path"
	"strings"

	"gojos/kern/abi/linux"
	"gojos/user/internal/cmdutil"
	"gojos/user/internal/kctl"
)

// Run is the rmmod command.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := cmdutil.FlagSet("rmmod", "module ...", stderr)
	if err := cmdutil.Parse(flags, args); err != nil {
		return err
	}
	if flags.NArg() < 1 {
		flags.Usage()
		return cmdutil.Usage
	}
	for _, m := range flags.Args() {
		if Name(m) == "" {
			fmt.Fprintf(stderr, "rmmod: bad module name %q\n", m)
			flags.Usage()
			return cmdutil.Usage
		}
	}
	var status error
	for _, m := range flags.Args() {
		if err := kctl.DeleteModule(Name(m), linux.O_NONBLOCK_MODULE); err != nil {
			fmt.Fprintf(stderr, "rmmod: %s: %v\n", m, err)
			status = cmdutil.ExitStatus(1)
		}
	}
	return status
}

// Name returns the module name arg stands for: arg without a directory
// and a ".ko" suffix; "" if nothing is left.
func Name(arg string) string {
	n := strings.TrimSuffix(path.Base(arg), ".ko")
	if n == "." || n == "/" || strings.ContainsRune(n, 0) {
		return ""
	}
	return n
}
