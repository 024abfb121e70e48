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
//	kpatch -t                      how long the kernel took for the patches and
//	                               unpatches since the last -t (count, median,
//	                               min, max), and start a new record
//	kpatch load FILE.ko            load a livepatch module: every function of its
//	                               patch table switched at once (insmod does the same)
//	kpatch unload NAME             revert all of a livepatch module's functions
//	                               and remove it (rmmod does the same)
//	kpatch list                    the livepatch modules, their state and
//	                               functions, and every patch stack
//	kpatch info NAME               one livepatch module in full
//	kpatch selftest                check on this kernel that a switch is all or
//	                               none (a failed write restores the others)
//
// Manual patches and livepatch modules share the patch stacks: kpatch -l,
// kpatch list and /proc/livepatch show both.
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
	"os"
	"strings"

	"gojos/kern/abi/linux"

	"gojos/user/internal/cmdutil"
	"gojos/user/internal/kctl"
)

const usage = "[-f] target replacement\n" +
	"       kpatch -u target [replacement]\n" +
	"       kpatch -l\n" +
	"       kpatch -d function\n" +
	"       kpatch -s\n" +
	"       kpatch -t\n" +
	"       kpatch load FILE.ko | unload NAME | list | info NAME | selftest"

// Run is the kpatch command.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := cmdutil.FlagSet("kpatch", usage, stderr)
	undo := flags.Bool("u", false, "remove target's newest patch, or the one to replacement")
	list := flags.Bool("l", false, "list every patched function with its patch stack")
	disas := flags.Bool("d", false, "show function's signature, verdicts and code")
	force := flags.Bool("f", false, "patch target even if the compiler inlined it somewhere (those copies keep the old code)")
	summary := flags.Bool("s", false, "count the kernel's functions by what kpatch makes of them")
	times := flags.Bool("t", false, "the kernel's own timing of the patches and unpatches since the last -t")
	if err := cmdutil.Parse(flags, args); err != nil {
		return err
	}
	words := flags.Args()
	if len(words) > 0 && count(*undo, *list, *disas, *force, *summary, *times) == 0 {
		switch {
		case words[0] == "load" && len(words) == 2:
			return load(words[1], stdout)
		case words[0] == "unload" && len(words) == 2:
			if err := kctl.DeleteModule(words[1], linux.O_NONBLOCK_MODULE); err != nil {
				return fmt.Errorf("unload %s: %v", words[1], err)
			}
			fmt.Fprintf(stdout, "livepatch %s: reverted and unloaded\n", words[1])
			return nil
		case words[0] == "selftest" && len(words) == 1:
			return kctl.Do("livepatch selftest", stdout)
		case words[0] == "list" && len(words) == 1:
			return kctl.Do("livepatch list", stdout)
		case words[0] == "info" && len(words) == 2 && kctl.IsWord(words[1]):
			return kctl.Do("livepatch info "+words[1], stdout)
		}
	}
	var req []string
	n := len(words)
	switch {
	case count(*undo, *list, *disas, *force, *summary, *times) > 1:
		fmt.Fprintln(stderr, "kpatch: -u, -l, -d, -f, -s and -t exclude each other")
		flags.Usage()
		return cmdutil.Usage
	case *list && n == 0:
		req = []string{"-l"}
	case *summary && n == 0:
		req = []string{"-s"}
	case *times && n == 0:
		req = []string{"-t"}
	case *force && n == 2:
		req = []string{"-f"}
	case *disas && n == 1:
		req = []string{"-d"}
	case *undo && (n == 1 || n == 2):
		req = []string{"-u"}
	case count(*undo, *list, *disas, *force, *summary, *times) == 0 && n == 2:
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

// load loads a livepatch module file (a bare name is looked up in
// /lib/modules/livepatch and /lib/modules) and prints what it switched.
func load(file string, stdout io.Writer) error {
	path := file
	if !strings.Contains(file, "/") {
		for _, p := range []string{file, "/lib/modules/livepatch/" + file, "/lib/modules/" + file} {
			if _, err := os.Stat(p); err == nil {
				path = p
				break
			}
		}
	}
	image, err := cmdutil.ReadFile(path)
	if err != nil {
		return fmt.Errorf("load %s: %v", file, err)
	}
	if err := kctl.InitModule(image, ""); err != nil {
		return fmt.Errorf("load %s: %v", file, err)
	}
	return kctl.Do("livepatch last", stdout)
}
