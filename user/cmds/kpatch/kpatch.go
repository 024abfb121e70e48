// Package kpatch is the kpatch command, the live patcher:
//
//	kpatch target replacement      redirect function target to replacement
//	kpatch -u target [replacement] remove target's newest (or the named) patch
//	kpatch -l                      list the patched functions and their patches
//	kpatch -d function             disassemble a function
//
// Functions are symbol names (kpatch_test1, full Go names, module symbols
// such as test2 or test:test2) or addresses (0xc8001234), passed to the
// kernel as typed: the kernel resolves them and refuses what it cannot
// patch. kpatch prints the kernel's response; a refusal prints
// "kpatch: reason", status 1.
package kpatch

import (
	"fmt"
	"io"
	"strings"

	"gojos/user/internal/cmdutil"
	"gojos/user/internal/kctl"
)

const usage = "target replacement\n" +
	"       kpatch -u target [replacement]\n" +
	"       kpatch -l\n" +
	"       kpatch -d function"

// Run is the kpatch command.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := cmdutil.FlagSet("kpatch", usage, stderr)
	undo := flags.Bool("u", false, "remove target's newest patch, or the one to replacement")
	list := flags.Bool("l", false, "list every patched function with its patch stack")
	disas := flags.Bool("d", false, "disassemble function")
	if err := cmdutil.Parse(flags, args); err != nil {
		return err
	}
	words := flags.Args()
	var req []string
	n := len(words)
	switch {
	case count(*undo, *list, *disas) > 1:
		fmt.Fprintln(stderr, "kpatch: -u, -l and -d exclude each other")
		flags.Usage()
		return cmdutil.Usage
	case *list && n == 0:
		req = []string{"-l"}
	case *disas && n == 1:
		req = []string{"-d"}
	case *undo && (n == 1 || n == 2):
		req = []string{"-u"}
	case !*list && !*disas && !*undo && n == 2:
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
