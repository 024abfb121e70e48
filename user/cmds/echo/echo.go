// Package echo is the echo command: echo [-n] [arg ...] writes its
// arguments separated by spaces, then a newline unless -n is given.
package echo

import (
	"io"
	"strings"
)

// Run is the echo command. Only a leading -n is an option; every other
// argument, including ones that start with "-", is printed.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	args = args[min(1, len(args)):]
	nl := "\n"
	if len(args) > 0 && args[0] == "-n" {
		args, nl = args[1:], ""
	}
	_, err := io.WriteString(stdout, strings.Join(args, " ")+nl)
	return err
}
