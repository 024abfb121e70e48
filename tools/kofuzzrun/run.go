package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"gojos/tools/console"
)

type options struct {
	image, qemu  string
	dir          string        // the mutants' directory in the guest
	mutants      string        // the same directory on the host (MANIFEST), optional
	from         int           // first mutant
	mutantTime   time.Duration // longest a mutant may take before it counts as a hang
	bootTime     time.Duration // longest a boot to the prompt may take
	strict       bool          // fail on any death, hang, probe failure or mismatch
	qemuArgs     []string      // for tests: QEMU's arguments
	qemuEnv      []string      // for tests: QEMU's extra environment
	results      string        // write the per-mutant outcomes here (TSV)
	progressEach int           // print progress every N mutants (0: never)
}

// result is one mutant's outcome: refused, loaded, faulted, death, hang.
type result struct {
	file, kind, detail string
	probeFailed        bool
	mismatch           string
}

type campaign struct {
	o        options
	results  map[int]*result
	boots    int
	manifest map[string][2]string // file → host verdict, mutation
	out      io.Writer
}

var (
	// The guest's lines (user/cmds/modfuzz).
	lineRE = regexp.MustCompile(`modfuzz: (?:(\d+)\.ko (\.\.\.|refused|loaded|faulted|PROBE FAILED|MISMATCH)([^\r\n]*)|(done): [^\r\n]*|([^\r\n]*))\r?\n`)
	// A boot that reached the shell.
	promptRE = regexp.MustCompile(`\$ `)
)

func run(o options, out io.Writer) error {
	if o.image == "" {
		return errors.New("-image is required")
	}
	c := &campaign{o: o, results: map[int]*result{}, out: out}
	if o.mutants != "" {
		m, err := readManifest(filepath.Join(o.mutants, "MANIFEST"))
		if err != nil {
			return err
		}
		c.manifest = m
	}
	start := time.Now()
	from := o.from
	for {
		next, done, err := c.boot(from)
		if err != nil {
			return err
		}
		if done {
			break
		}
		from = next
	}
	t := c.totals()
	fmt.Fprintf(out, "kofuzzrun: %s; %d boots, %s\n", t, c.boots, time.Since(start).Round(time.Second))
	c.report()
	if o.results != "" {
		if err := c.writeResults(); err != nil {
			return err
		}
	}
	if o.strict && (t.deaths+t.hangs+t.probes+t.mismatches > 0) {
		return fmt.Errorf("%d kernel deaths, %d hangs, %d probe failures, %d host mismatches", t.deaths, t.hangs, t.probes, t.mismatches)
	}
	return nil
}

// boot boots once and runs modfuzz from mutant from. It returns where the next
// boot must start if the kernel died or hung, or done.
func (c *campaign) boot(from int) (next int, done bool, err error) {
	c.boots++
	cfg := console.Config{QEMU: c.o.qemu, Image: c.o.image, Timeout: c.o.bootTime}
	if c.o.qemuArgs != nil {
		cfg.Args, cfg.Env = c.o.qemuArgs, c.o.qemuEnv
	}
	s, err := console.Start(context.Background(), cfg)
	if err != nil {
		return 0, false, err
	}
	defer s.Close()
	if _, err := s.ExpectRegexp(promptRE, c.o.bootTime); err != nil {
		return 0, false, fmt.Errorf("boot %d did not reach the shell: %w", c.boots, err)
	}
	if err := s.Send(fmt.Sprintf("modfuzz -from %d %s", from, c.o.dir)); err != nil {
		return 0, false, err
	}
	last := -1
	for {
		m, err := s.ExpectRegexp(lineRE, c.o.mutantTime)
		if err != nil {
			var ce *console.Error
			if !errors.As(err, &ce) || last < 0 {
				return 0, false, fmt.Errorf("boot %d (modfuzz -from %d): %w", c.boots, from, err)
			}
			r := c.get(last)
			tail := ce.Transcript
			if at := strings.LastIndex(tail, "modfuzz: "+r.file+" ..."); at >= 0 {
				tail = tail[at:]
			}
			if strings.HasPrefix(ce.Msg, "QEMU ended") {
				msg, _, _ := strings.Cut(ce.Msg, " before the output matched")
				r.kind, r.detail = "death", msg+"; its last output: "+clip(tail)
			} else {
				r.kind, r.detail = "hang", fmt.Sprintf("no outcome in %v; its last output: %s", c.o.mutantTime, clip(tail))
			}
			fmt.Fprintf(c.out, "kofuzzrun: %s: kernel %s: %s\n", r.file, r.kind, r.detail)
			return last + 1, false, nil
		}
		if m[4] == "done" {
			return 0, true, nil
		}
		if m[1] == "" {
			return 0, false, fmt.Errorf("boot %d: modfuzz failed: %s", c.boots, strings.TrimSpace(m[0]))
		}
		i, _ := strconv.Atoi(m[1])
		r := c.get(i)
		r.file = m[1] + ".ko"
		switch m[2] {
		case "...":
			last = i
			if n := c.o.progressEach; n > 0 && i%n == 0 {
				fmt.Fprintf(c.out, "kofuzzrun: at %s\n", r.file)
			}
		case "PROBE FAILED":
			r.probeFailed = true
			fmt.Fprintf(c.out, "kofuzzrun: %s: probe failed%s\n", r.file, m[3])
		case "MISMATCH":
			r.mismatch = strings.TrimPrefix(m[3], ": ")
		default:
			r.kind, r.detail = m[2], strings.TrimPrefix(strings.TrimSpace(m[3]), ": ")
			if r.kind == "loaded" && strings.Contains(r.detail, "exit faulted") {
				r.kind = "faulted"
			}
		}
	}
}

func (c *campaign) get(i int) *result {
	r := c.results[i]
	if r == nil {
		r = &result{file: fmt.Sprintf("%04d.ko", i)}
		c.results[i] = r
	}
	return r
}

// clip keeps the end of a transcript, printable and on one line.
func clip(s string) string {
	const max = 600
	if len(s) > max {
		s = "..." + s[len(s)-max:]
	}
	return strconv.Quote(s)
}

type totals struct {
	n, refused, loaded, stayed, faulted, deaths, hangs, probes, mismatches int
}

func (t totals) String() string {
	return fmt.Sprintf("%d mutants: %d refused, %d loaded (%d stayed loaded), %d faulted (contained), %d kernel deaths, %d hangs, %d probe failures, %d host mismatches",
		t.n, t.refused, t.loaded, t.stayed, t.faulted, t.deaths, t.hangs, t.probes, t.mismatches)
}

func (c *campaign) totals() totals {
	var t totals
	for _, r := range c.results {
		t.n++
		switch r.kind {
		case "refused":
			t.refused++
		case "loaded":
			t.loaded++
			if strings.Contains(r.detail, "stays loaded") {
				t.stayed++
			}
		case "faulted":
			t.faulted++
		case "death":
			t.deaths++
		case "hang":
			t.hangs++
		}
		if r.probeFailed {
			t.probes++
		}
		if r.mismatch != "" {
			t.mismatches++
		}
	}
	return t
}

// report lists the deaths, hangs, probe failures and mismatches, with the host's
// verdict and the mutation when the MANIFEST is known.
func (c *campaign) report() {
	var idx []int
	for i := range c.results {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	byVerdict := map[string]int{}
	for _, i := range idx {
		r := c.results[i]
		if r.kind != "death" && r.kind != "hang" && !r.probeFailed && r.mismatch == "" {
			continue
		}
		what := r.kind
		if r.probeFailed {
			what += ", probe failed"
		}
		if r.mismatch != "" {
			what += ", mismatch: " + r.mismatch
		}
		line := fmt.Sprintf("  %s %s", r.file, what)
		if m, ok := c.manifest[r.file]; ok {
			line += fmt.Sprintf(" [host: %s; %s]", m[0], m[1])
			if r.kind == "death" || r.kind == "hang" {
				v, _, _ := strings.Cut(m[0], " ")
				byVerdict[r.kind+" on host-"+v]++
			}
		}
		fmt.Fprintln(c.out, line)
	}
	if len(byVerdict) > 0 {
		var ks []string
		for k, n := range byVerdict {
			ks = append(ks, fmt.Sprintf("%s %d", k, n))
		}
		sort.Strings(ks)
		fmt.Fprintf(c.out, "  by host verdict: %s (host-refuse would be a loader bug; host-load-changed is the module's own code)\n",
			strings.Join(ks, ", "))
	}
}

func (c *campaign) writeResults() error {
	var b strings.Builder
	var idx []int
	for i := range c.results {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	for _, i := range idx {
		r := c.results[i]
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\n", r.file, r.kind, strconv.Quote(r.detail), r.mismatch)
	}
	return os.WriteFile(c.o.results, []byte(b.String()), 0o644)
}

func readManifest(path string) (map[string][2]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m := map[string][2]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if fs := strings.SplitN(sc.Text(), "\t", 3); len(fs) == 3 {
			m[fs[0]] = [2]string{fs[1], fs[2]}
		}
	}
	return m, sc.Err()
}
