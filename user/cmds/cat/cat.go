// Package cat is the cat command: cat [file ...] copies each file (or
// standard input, for no arguments or "-") to standard output.
package cat

import (
	"fmt"
	"io"
	"os"

	"gojos/user/internal/cmdutil"
)

// Run is the cat command. A file that cannot be read is reported and
// skipped; the exit status is then 1.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := cmdutil.FlagSet("cat", "[file ...]", stderr)
	if err := cmdutil.Parse(fs, args); err != nil {
		return err
	}
	names := fs.Args()
	if len(names) == 0 {
		names = []string{"-"}
	}
	var status error
	for _, name := range names {
		if err := copyFile(name, stdin, stdout); err != nil {
			fmt.Fprintf(stderr, "cat: %v\n", err)
			status = cmdutil.ExitStatus(1)
		}
	}
	return status
}

func copyFile(name string, stdin io.Reader, stdout io.Writer) error {
	if name == "-" {
		_, err := io.Copy(stdout, stdin)
		return err
	}
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := io.Copy(stdout, f); err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	return nil
}
