// Package memhog is the memhog command: it allocates memory and touches
// every page of it, to exercise the kernel's memory limits and OOM killer.
//
//	memhog [-mb N] [-step N] [-q]
//
// With -mb 0 (the default) it allocates until the allocation fails: under
// an RLIMIT_AS/RLIMIT_DATA limit the Go runtime gets ENOMEM and exits with
// "out of memory"; without a limit the kernel's OOM killer ends it.
package memhog

import (
	"fmt"
	"io"

	"gojos/user/internal/cmdutil"
)

// Run is the memhog command.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := cmdutil.FlagSet("memhog", "[-mb N] [-step N] [-q]", stderr)
	total := flags.Int("mb", 0, "MiB to allocate (0: until it fails)")
	step := flags.Int("step", 1, "MiB per allocation")
	quiet := flags.Bool("q", false, "print only the final line")
	if err := cmdutil.Parse(flags, args); err != nil {
		return err
	}
	if flags.NArg() != 0 || *total < 0 || *step <= 0 {
		flags.Usage()
		return cmdutil.Usage
	}
	var keep [][]byte
	mib := 0
	for *total == 0 || mib < *total {
		b := make([]byte, *step<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = byte(i>>12) | 1
		}
		keep = append(keep, b)
		mib += *step
		if !*quiet && mib%8 == 0 {
			fmt.Fprintf(stdout, "memhog: %d MiB\n", mib)
		}
	}
	fmt.Fprintf(stdout, "memhog: allocated and touched %d MiB\n", mib)
	return nil
}
