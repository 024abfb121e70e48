// Package ls is the ls command:
//
//	ls [-l] [-a] [path ...]
//
// lists each directory's entries (sorted, without names that start with
// "." unless -a), or names each file. -l adds the mode and size, and the
// target of a symbolic link. With no path, it lists ".".
package ls

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"gojos/user/internal/cmdutil"
)

// Run is the ls command.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := cmdutil.FlagSet("ls", "[-l] [-a] [path ...]", stderr)
	long := flags.Bool("l", false, "long listing: mode, size, name")
	all := flags.Bool("a", false, "include names that start with '.'")
	if err := cmdutil.Parse(flags, args); err != nil {
		return err
	}
	paths := flags.Args()
	if len(paths) == 0 {
		paths = []string{"."}
	}
	l := lister{long: *long, all: *all, out: stdout}
	var status error
	for i, p := range paths {
		if len(paths) > 1 {
			if i > 0 {
				fmt.Fprintln(stdout)
			}
			fmt.Fprintf(stdout, "%s:\n", p)
		}
		if err := l.list(p); err != nil {
			fmt.Fprintf(stderr, "ls: %v\n", err)
			status = cmdutil.ExitStatus(1)
		}
	}
	return status
}

type lister struct {
	long, all bool
	out       io.Writer
}

// entry is one line of output.
type entry struct {
	name string // as printed
	path string // for readlink
	info fs.FileInfo
}

func (l lister) list(p string) error {
	st, err := os.Stat(p)
	if err != nil {
		// A dangling symbolic link is still listed.
		if lst, lerr := os.Lstat(p); lerr == nil {
			st, err = lst, nil
		} else {
			return err
		}
	}
	if !st.IsDir() {
		if lst, err := os.Lstat(p); err == nil {
			st = lst
		}
		return l.print([]entry{{p, p, st}})
	}
	des, err := os.ReadDir(p) // sorted by name
	var ents []entry
	for _, d := range des {
		if !l.all && d.Name()[0] == '.' {
			continue
		}
		e := entry{name: d.Name(), path: filepath.Join(p, d.Name())}
		if l.long {
			if e.info, err = d.Info(); err != nil {
				return err
			}
		}
		ents = append(ents, e)
	}
	if perr := l.print(ents); perr != nil {
		return perr
	}
	return err
}

func (l lister) print(ents []entry) error {
	if !l.long {
		for _, e := range ents {
			if _, err := fmt.Fprintln(l.out, e.name); err != nil {
				return err
			}
		}
		return nil
	}
	width := 1
	for _, e := range ents {
		width = max(width, len(strconv.FormatInt(e.info.Size(), 10)))
	}
	for _, e := range ents {
		line := fmt.Sprintf("%s %*d %s", Mode(e.info.Mode()), width, e.info.Size(), e.name)
		if e.info.Mode()&fs.ModeSymlink != 0 {
			if target, err := os.Readlink(e.path); err == nil {
				line += " -> " + target
			}
		}
		if _, err := fmt.Fprintln(l.out, line); err != nil {
			return err
		}
	}
	return nil
}

// Mode formats a mode the way Unix ls does: a type letter (- d l c b p s)
// and nine permission letters, with s/S and t/T for setuid, setgid and
// sticky.
func Mode(m fs.FileMode) string {
	b := []byte("----------")
	switch {
	case m&fs.ModeDir != 0:
		b[0] = 'd'
	case m&fs.ModeSymlink != 0:
		b[0] = 'l'
	case m&fs.ModeCharDevice != 0:
		b[0] = 'c'
	case m&fs.ModeDevice != 0:
		b[0] = 'b'
	case m&fs.ModeNamedPipe != 0:
		b[0] = 'p'
	case m&fs.ModeSocket != 0:
		b[0] = 's'
	}
	for i, c := range "rwxrwxrwx" {
		if m&(1<<uint(8-i)) != 0 {
			b[i+1] = byte(c)
		}
	}
	special := func(i int, on bool, c byte) {
		if !on {
			return
		}
		if b[i] == 'x' {
			b[i] = c
		} else {
			b[i] = c - 'a' + 'A'
		}
	}
	special(3, m&fs.ModeSetuid != 0, 's')
	special(6, m&fs.ModeSetgid != 0, 's')
	special(9, m&fs.ModeSticky != 0, 't')
	return string(b)
}
