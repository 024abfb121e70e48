// Package modfuzz is the modfuzz command, the guest side of the module
// loader's fuzzing campaign (tools/kofuzz, docs/testing.md):
//
//	modfuzz [-from N] [-to N] [-probe FUNC] DIR
//
// inserts each DIR/*.ko (in name order, from the N-th) with finit_module,
// removes it again with delete_module when it loaded, and after each checks
// that the kernel still serves: a kcall of FUNC (default kpatch_test1) must
// return and getpid must answer. It prints one line before each insertion
// and one with the outcome, so that a harness watching the console knows
// which mutant was last if the kernel dies or hangs:
//
//	modfuzz: 0042.ko ...
//	modfuzz: 0042.ko refused: "reason"
//	modfuzz: 0042.ko loaded as t016, removed
//	modfuzz: 0042.ko loaded as t016, stays loaded: "reason"
//	modfuzz: 0042.ko faulted (contained): "reason"
//	modfuzz: 0042.ko loaded as t016, exit faulted (contained): "reason"
//
// A failed call whose reason mentions "fault" counts as a module fault the
// kernel contained. If DIR has a MANIFEST (kofuzz's), each outcome is
// compared with the verdict of the loader run on the host, and a difference
// is reported as "modfuzz: 0042.ko MISMATCH: ...". The last line gives the
// totals:
//
//	modfuzz: done: 200 mutants: 150 refused, 45 loaded (44 removed, 1 stayed), 5 faulted (contained), 0 probe failures, 0 host mismatches
//
// The status is 1 if a probe failed or an outcome differed from the host's.
package modfuzz

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"gojos/user/internal/cmdutil"
)

// Kernel is what modfuzz asks of the kernel; Sys is the real one, tests
// replace it.
type Kernel interface {
	Insert(path string) error   // finit_module
	Remove(name string) error   // delete_module(name, O_NONBLOCK)
	Modules() ([]string, error) // the names in /proc/modules
	Probe(fn string) error      // kcall fn, then getpid
}

// Sys is the kernel modfuzz uses.
var Sys Kernel = sysKernel{}

// Totals are a run's figures.
type Totals struct {
	Mutants, Refused, Loaded, Removed, Stayed, Faulted, ProbeFailures, Mismatches int
}

func (t Totals) String() string {
	return fmt.Sprintf("%d mutants: %d refused, %d loaded (%d removed, %d stayed), %d faulted (contained), %d probe failures, %d host mismatches",
		t.Mutants, t.Refused, t.Loaded, t.Removed, t.Stayed, t.Faulted, t.ProbeFailures, t.Mismatches)
}

// Run is the modfuzz command.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := cmdutil.FlagSet("modfuzz", "[-from N] [-to N] [-probe FUNC] DIR", stderr)
	from := flags.Int("from", 0, "start with the N-th module file (0 = the first)")
	to := flags.Int("to", -1, "stop before the N-th module file (-1 = after the last)")
	probe := flags.String("probe", "kpatch_test1", "kernel function to kcall after each module")
	if err := cmdutil.Parse(flags, args); err != nil {
		return err
	}
	if flags.NArg() != 1 || *from < 0 {
		flags.Usage()
		return cmdutil.Usage
	}
	dir := flags.Arg(0)
	files, err := filepath.Glob(filepath.Join(dir, "*.ko"))
	if err != nil {
		return err
	}
	sort.Strings(files)
	if len(files) == 0 {
		return fmt.Errorf("%s: no .ko files", dir)
	}
	end := len(files)
	if *to >= 0 && *to < end {
		end = *to
	}
	manifest, err := readManifest(filepath.Join(dir, "MANIFEST"))
	if err != nil {
		return err
	}
	start := time.Now()
	var t Totals
	for _, f := range files[min(*from, end):end] {
		one(f, manifest[filepath.Base(f)], *probe, stdout, &t)
	}
	fmt.Fprintf(stdout, "modfuzz: done: %s (%.1fs)\n", t, time.Since(start).Seconds())
	if t.ProbeFailures > 0 || t.Mismatches > 0 {
		return cmdutil.ExitStatus(1)
	}
	return nil
}

// outcome is what happened to one module.
type outcome struct {
	kind   string // "refused", "loaded", "faulted"
	name   string // the name it loaded under
	reason string // quoted
}

// one inserts, removes and probes for one module file.
func one(path, verdict, probe string, w io.Writer, t *Totals) {
	base := filepath.Base(path)
	fmt.Fprintf(w, "modfuzz: %s ...\n", base)
	t.Mutants++
	before, _ := Sys.Modules()
	var o outcome
	err := Sys.Insert(path)
	switch {
	case err == nil:
		o.kind = "loaded"
		t.Loaded++
		o.name = newModule(before)
		line := fmt.Sprintf("modfuzz: %s loaded as %s", base, o.name)
		if err := Sys.Remove(o.name); err == nil {
			t.Removed++
			line += ", removed"
		} else if faulted(err) {
			t.Faulted++
			line += ", exit faulted (contained): " + quote(err)
		} else {
			t.Stayed++
			line += ", stays loaded: " + quote(err)
		}
		fmt.Fprintln(w, line)
	case faulted(err):
		o.kind, o.reason = "faulted", quote(err)
		t.Faulted++
		fmt.Fprintf(w, "modfuzz: %s faulted (contained): %s\n", base, o.reason)
	default:
		o.kind, o.reason = "refused", quote(err)
		t.Refused++
		fmt.Fprintf(w, "modfuzz: %s refused: %s\n", base, o.reason)
	}
	if err := Sys.Probe(probe); err != nil {
		t.ProbeFailures++
		fmt.Fprintf(w, "modfuzz: %s PROBE FAILED: %v\n", base, err)
	}
	if msg := mismatch(verdict, o); msg != "" {
		t.Mismatches++
		fmt.Fprintf(w, "modfuzz: %s MISMATCH: %s\n", base, msg)
	}
}

// newModule is the one name in /proc/modules that was not in before ("?" if
// there is not exactly one).
func newModule(before []string) string {
	after, err := Sys.Modules()
	if err != nil {
		return "?"
	}
	had := map[string]bool{}
	for _, n := range before {
		had[n] = true
	}
	var added []string
	for _, n := range after {
		if !had[n] {
			added = append(added, n)
		}
	}
	if len(added) != 1 {
		return "?"
	}
	return added[0]
}

func faulted(err error) bool { return strings.Contains(strings.ToLower(err.Error()), "fault") }

// quote is how reasons are printed, as kofuzz writes them in MANIFEST: the
// text Go-quoted, so that it stays on one line.
func quote(err error) string { return fmt.Sprintf("%q", strings.TrimSpace(err.Error())) }

// mismatch compares an outcome with the host's verdict (kofuzz's MANIFEST:
// "refuse REASON", "load NAME", "load-changed NAME"): "" if they agree. A
// module that loads with changed code may fault or fail its init; one that
// loads like the valid module may not.
func mismatch(verdict string, o outcome) string {
	what, arg, _ := strings.Cut(verdict, " ")
	kernel := o.kind
	switch o.kind {
	case "loaded":
		kernel += " as " + o.name
	default:
		kernel += ": " + o.reason
	}
	switch what {
	case "":
		return ""
	case "refuse":
		if o.kind == "refused" && o.reason == arg {
			return ""
		}
	case "load", "load-changed":
		if o.kind == "loaded" && o.name == arg {
			return ""
		}
		if what == "load-changed" && (o.kind == "faulted" || strings.Contains(o.reason, "init_module returned")) {
			return ""
		}
	default:
		return ""
	}
	return fmt.Sprintf("host: %s; kernel: %s", verdict, kernel)
}

// readManifest maps file names to verdicts; no MANIFEST is no verdicts.
func readManifest(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m := map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) >= 2 {
			m[fields[0]] = fields[1]
		}
	}
	return m, sc.Err()
}
