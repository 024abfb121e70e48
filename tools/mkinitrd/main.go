// Command mkinitrd writes a deterministic tar archive for the gojos initrd.
//
//	mkinitrd --out initrd.tar --file etc/motd=path/to/motd [--file dest=src ...]
//	         [--exec bin/prog=path/to/prog ...] [--link dest=target ...]
//	         [--tree dest=srcdir ...] [--base other.tar ...]
//
// Entries are sorted by name, parent directories are added, and every header
// has mtime 0, uid/gid 0 and no user/group names, so the same inputs always
// give the same bytes. Files given with --exec are 0755, with --file or --tree
// 0644, whatever the host files' modes (remote execution makes every input
// executable); a --base archive's files keep their modes.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

// fileFlags collects repeated --file dest=src arguments.
type fileFlags []string

func (f *fileFlags) String() string     { return strings.Join(*f, ",") }
func (f *fileFlags) Set(v string) error { *f = append(*f, v); return nil }

func main() {
	var files fileFlags
	out := flag.String("out", "", "output tar file (required)")
	flag.Var(&files, "file", "dest=src: put host file src at dest in the archive (repeatable)")
	var execs, links, trees, bases fileFlags
	flag.Var(&execs, "exec", "dest=src: like --file, as an executable (0755) (repeatable)")
	flag.Var(&links, "link", "dest=target: a symbolic link at dest pointing to target (repeatable)")
	flag.Var(&trees, "tree", "dest=srcdir: put every regular file under host directory srcdir below dest (repeatable)")
	flag.Var(&bases, "base", "archive.tar: start from the files and links of another archive (repeatable)")
	flag.Parse()
	if flag.NArg() != 0 {
		fmt.Fprintf(os.Stderr, "mkinitrd: unexpected arguments %q\n", flag.Args())
		os.Exit(2)
	}
	if err := runConfig(config{out: *out, files: files, execs: execs, links: links, trees: trees, bases: bases}); err != nil {
		fmt.Fprintf(os.Stderr, "mkinitrd: %v\n", err)
		os.Exit(1)
	}
}
