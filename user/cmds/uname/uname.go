// Package uname is the uname command:
//
//	uname [-asnrvm]
//
// prints the kernel's identification from the uname system call: -s the
// kernel name (the default), -n the node name, -r the release, -v the
// version, -m the machine, -a all of them, in that order.
package uname

import (
	"io"
	"strings"
	"syscall"

	"gojos/user/internal/cmdutil"
)

// Uname is the system call, a variable for tests.
var Uname = syscall.Uname

// Run is the uname command.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := cmdutil.FlagSet("uname", "[-asnrvm]", stderr)
	all := flags.Bool("a", false, "print everything")
	var want [5]*bool
	for i, f := range []struct{ name, what string }{
		{"s", "kernel name"}, {"n", "node name"}, {"r", "kernel release"}, {"v", "kernel version"}, {"m", "machine"},
	} {
		want[i] = flags.Bool(f.name, false, "print the "+f.what)
	}
	if err := cmdutil.Parse(flags, args); err != nil {
		return err
	}
	if flags.NArg() != 0 {
		flags.Usage()
		return cmdutil.Usage
	}
	var u syscall.Utsname
	if err := Uname(&u); err != nil {
		return err
	}
	fields := [5]string{str(u.Sysname[:]), str(u.Nodename[:]), str(u.Release[:]), str(u.Version[:]), str(u.Machine[:])}
	var out []string
	for i, w := range want {
		if *w || *all {
			out = append(out, fields[i])
		}
	}
	if len(out) == 0 {
		out = fields[:1]
	}
	_, err := io.WriteString(stdout, strings.Join(out, " ")+"\n")
	return err
}

// str is a NUL-terminated utsname field as a string.
func str[T int8 | uint8](f []T) string {
	b := make([]byte, 0, len(f))
	for _, c := range f {
		if c == 0 {
			break
		}
		b = append(b, byte(c))
	}
	return string(b)
}
