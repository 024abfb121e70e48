// Package uname is the uname command:
//
//	uname [-asnrvmo]
//
// prints the system's name (-s, the default), node name (-n), kernel
// release (-r) and version (-v), machine (-m) and operating system (-o),
// in that order, from uname(2); -a prints them all. Options may be joined
// (-sr).
package uname

import (
	"fmt"
	"io"
	"strings"
	"syscall"

	"gojos/kern/procinfo"
	"gojos/user/internal/cmdutil"
)

// Fields are the option letters in output order.
const Fields = "snrvmo"

// Select returns the option letters args ask for, in output order.
func Select(args []string) (string, error) {
	want := map[byte]bool{}
	for _, a := range args {
		if len(a) < 2 || a[0] != '-' {
			return "", fmt.Errorf("unexpected argument %q", a)
		}
		for _, c := range []byte(a[1:]) {
			switch {
			case c == 'a':
				for _, f := range []byte(Fields) {
					want[f] = true
				}
			case strings.IndexByte(Fields, c) >= 0:
				want[c] = true
			default:
				return "", fmt.Errorf("unknown option -%c", c)
			}
		}
	}
	if len(want) == 0 {
		return "s", nil
	}
	var out []byte
	for _, f := range []byte(Fields) {
		if want[f] {
			out = append(out, f)
		}
	}
	return string(out), nil
}

// Format returns uname's line for the fields selected.
func Format(u procinfo.Utsname, fields string) string {
	var words []string
	for _, f := range []byte(fields) {
		switch f {
		case 's':
			words = append(words, u.Sysname)
		case 'n':
			words = append(words, u.Nodename)
		case 'r':
			words = append(words, u.Release)
		case 'v':
			words = append(words, u.Version)
		case 'm':
			words = append(words, u.Machine)
		case 'o':
			words = append(words, operatingSystem(u))
		}
	}
	return strings.Join(words, " ") + "\n"
}

// operatingSystem is what -o prints: GNU/Linux on Linux, as coreutils
// does; the system's name elsewhere.
func operatingSystem(u procinfo.Utsname) string {
	if u.Sysname == "Linux" {
		return "GNU/Linux"
	}
	return u.Sysname
}

// Uname is uname(2); a variable for tests.
var Uname = func() (procinfo.Utsname, error) {
	var u syscall.Utsname
	if err := syscall.Uname(&u); err != nil {
		return procinfo.Utsname{}, err
	}
	str := func(f [65]int8) string {
		b := make([]byte, 0, len(f))
		for _, c := range f {
			if c == 0 {
				break
			}
			b = append(b, byte(c))
		}
		return string(b)
	}
	return procinfo.Utsname{Sysname: str(u.Sysname), Nodename: str(u.Nodename), Release: str(u.Release),
		Version: str(u.Version), Machine: str(u.Machine), Domainname: str(u.Domainname)}, nil
}

// Run is the uname command.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fields, err := Select(args[1:])
	if err != nil {
		fmt.Fprintf(stderr, "uname: %v\nusage: uname [-asnrvmo]\n", err)
		return cmdutil.Usage
	}
	u, err := Uname()
	if err != nil {
		return err
	}
	_, err = io.WriteString(stdout, Format(u, fields))
	return err
}
