// Package cmdutil holds what every gojos command shares: the exit status
// convention and flag-set construction.
//
// A command is a function Run(args, stdin, stdout, stderr) error, where
// args[0] is the command's name. It returns nil for exit status 0,
// ExitStatus(n) for status n with nothing more to print (the command has
// already said what went wrong, or nothing needs saying, as for false), and
// any other error to have "name: error" printed and status 1.
package cmdutil

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// ExitStatus asks for exit status n without a message.
type ExitStatus int

func (e ExitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// Usage is the exit status for a command-line error.
const Usage = ExitStatus(2)

// Func is the signature of every command.
type Func func(args []string, stdin io.Reader, stdout, stderr io.Writer) error

// FlagSet returns a flag set that reports errors and usage on stderr
// instead of exiting; Parse's error should be returned as is (see Status).
func FlagSet(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: %s %s\n", name, usage)
		fs.PrintDefaults()
	}
	return fs
}

// Parse parses args[1:] with fs. On -h it returns ExitStatus(0), on any
// other error (already printed by fs) Usage, so a command just returns
// what Parse returned.
func Parse(fs *flag.FlagSet, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitStatus(0)
		}
		return Usage
	}
	return nil
}

// Status turns a command's result into an exit status, printing
// "name: error" on stderr when the error is not an ExitStatus.
func Status(name string, err error, stderr io.Writer) int {
	var es ExitStatus
	switch {
	case err == nil:
		return 0
	case errors.As(err, &es):
		return int(es)
	}
	fmt.Fprintf(stderr, "%s: %v\n", name, err)
	return 1
}
