// Package lsmod is the lsmod command: it shows the loaded kernel modules
// from /proc/modules as Linux's lsmod does:
//
//	Module                  Size  Used by
//	test                    4096  0
//	b                       8192  1 a
//
// /proc/modules has a line "name size refcount users state address [taints]"
// per module, users being "-" or a list such as "a,b,"; a module whose code
// faulted has the taint "(D)" and lsmod marks it [faulted]; one loaded
// without a trusted signature has "(E)" and is marked [unsigned].
package lsmod

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"gojos/user/internal/cmdutil"
)

// ModulesFile is the file lsmod reads; a variable for tests.
var ModulesFile = "/proc/modules"

// Run is the lsmod command; it takes no arguments.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := cmdutil.FlagSet("lsmod", "", stderr)
	if err := cmdutil.Parse(flags, args); err != nil {
		return err
	}
	if flags.NArg() != 0 {
		flags.Usage()
		return cmdutil.Usage
	}
	f, err := os.Open(ModulesFile)
	if err != nil {
		return err
	}
	defer f.Close()
	return List(f, stdout)
}

// Header is the first line List writes.
const Header = "Module                  Size  Used by\n"

// List writes the table of the modules in r, a /proc/modules text, in its
// order. A line with fewer than three fields is an error.
func List(r io.Reader, w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(Header)
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if len(f) < 3 {
			bw.Flush()
			return fmt.Errorf("%s: line %d: want name, size and use count: %q", ModulesFile, line, sc.Text())
		}
		fmt.Fprintf(bw, "%-19s %8s  %s", f[0], f[1], f[2])
		if len(f) > 3 {
			if users := strings.Trim(f[3], ","); users != "-" && users != "" {
				bw.WriteString(" " + users)
			}
		}
		// Linux's module taint field, after the address: "(D)" here
		// means the module's code faulted (contained), "(E)" that it
		// loaded without a trusted signature (module.sig_enforce=0).
		if len(f) > 6 && strings.Contains(f[6], "D") {
			bw.WriteString(" [faulted]")
		}
		if len(f) > 6 && strings.Contains(f[6], "E") {
			bw.WriteString(" [unsigned]")
		}
		bw.WriteString("\n")
	}
	if err := sc.Err(); err != nil {
		bw.Flush()
		return fmt.Errorf("%s: %v", ModulesFile, err)
	}
	return bw.Flush()
}
