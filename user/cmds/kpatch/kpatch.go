// Package kpatch is the kpatch command, the live patcher:
//
//	kpatch target replacement      redirect function target to replacement
//	kpatch -f target replacement   the same, even if target was inlined somewhere
//	kpatch -u target [replacement] remove target's newest (or the named) patch
//	kpatch -l                      list the patched functions, their signatures and patches
//	kpatch -d function             a function's signature, whether it can be
//	                               patched and called, and its code
//	kpatch -s                      how many kernel functions can be patched, and
//	                               how many each rule refuses
//
// Functions are symbol names (kpatch_test1, full Go names, module symbols
// such as test2 or test:test2) or addresses (0xc8001234), passed to the
// kernel as typed: the kernel resolves them and refuses what it cannot
// patch — a replacement whose signature differs from the target's, a
// target inlined into callers (unless -f), assembly, nosplit, closures,
// generic shapes, the trap tier and the patcher's own code (see
// docs/design.md, "Live patching"). kpatch prints the kernel's response; a
// refusal prints "kpatch: reason", status 1.
package kpatch

import (
	"fmt"
	"io"
	"strings"

	"gojos/user/internal/cmdutil"
	"gojos/user/internal/kctl"
)

const usage = "[-f] target replacement\n" +
	"       kpatch -u target [replacement]\n" +
	"       kpatch -l\n" +
	"       kpatch -d function\n" +
	"       kpatch -s"

// Run is the kpatch command.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := cmdutil.FlagSet("kpatch", usage, stderr)
	undo := flags.Bool("u", false, "remove target's newest patch, or the one to replacement")
	list := flags.Bool("l", false, "list every patched function with its patch stack")
	disas := flags.Bool("d", false, "show function's signature, verdicts and code")
	force := flags.Bool("f", false, "patch target even if the compiler inlined it somewhere (those copies keep the old code)")
	summary := flags.Bool("s", false, "count the kernel's functions by what kpatch makes of them")
	if err := cmdutil.Parse(flags, args); err != nil {
		return err
	}
	words := flags.Args()
	var req []string
	n := len(words)
	switch {
	case count(*undo, *list, *disas, *force, *summary) > 1:
		fmt.Fprintln(stderr, "kpatch: -u, -l, -d, -f and -s exclude each other")
		flags.Usage()
		return cmdutil.Usage
	case *list && n == 0:
		req = []string{"-l"}
	case *summary && n == 0:
		req = []string{"-s"}
	case *force && n == 2:
		req = []string{"-f"}
	case *disas && n == 1:
		req = []string{"-d"}
	case *undo && (n == 1 || n == 2):
		req = []string{"-u"}
	case count(*undo, *list, *disas, *force, *summary) == 0 && n == 2:
	default:
		flags.Usage()
		return cmdutil.Usage
	}
	for _, w := range words {
		// No symbol starts with "-": an option after the functions.
		if !kctl.IsWord(w) || strings.HasPrefix(w, "-") {
			fmt.Fprintf(stderr, "kpatch: bad function %q\n", w)
			flags.Usage()
			return cmdutil.Usage
		}
	}
	return kctl.Do("kpatch "+strings.Join(append(req, words...), " "), stdout)
}

// count returns how many of bs are true.
func count(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}
