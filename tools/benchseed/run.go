package main

import (
	"context"
	"debug/elf"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"gojos/tools/bench"
	"gojos/tools/console"
)

type options struct {
	image, tstampImage, kernel string
	baseline, baselineKernel   string
	seed, seedTest2, qemu      string
	seedMachine                string // "own" (QEMU's default PC) or "gojos"
	rounds                     int
	qemuArgs                   []string // appended for every system (e.g. -icount)
}

// system is one OS under test: how to boot it and what its console says.
type system struct {
	name  string
	image string
	extra []string // more QEMU arguments (the seed's second disk)
	// pc: boot on QEMU's default PC (VGA and network card included), not on
	// the gojos machine (console.LeanArgs).
	pc     bool
	test2  string // kpatch_test2's address
	steps  []step
	finish string // command that powers the guest off; "" = kill QEMU
}

// step is one command of the seed scenario and what its output must
// contain; "%s" in send is the last captured address.
type step struct{ send, expect string }

// seedSteps is the seven-command seed scenario; expectations per system
// differ only in wording, so each system passes its own.
func seedSteps(test2Called, helloWorld string) []step {
	return []step{
		{"kcall kpatch_test1", `kpatch_test1 called`},
		{"kcall kpatch_test2", `kpatch_test2 called`},
		{"kpatch kpatch_test1 %s", `\$ `},
		{"kcall kpatch_test1", test2Called},
		{"insmod test.ko", `test2 address: (0x[0-9a-f]+)\r?\n`},
		{"kpatch kpatch_test1 %s", `\$ `},
		{"kcall kpatch_test1", helloWorld},
	}
}

// result is one boot's wall-clock figures; steps[i] is the seed scenario's
// command i, from its line sent to the next prompt.
type result struct {
	prompt, hello, commands time.Duration
	steps                   []time.Duration
}

func run(o options, out io.Writer) error {
	if o.image == "" || o.kernel == "" {
		return fmt.Errorf("-image and -kernel are required")
	}
	if o.rounds < 1 {
		return fmt.Errorf("-n must be at least 1")
	}
	if m := o.seedMachine; m != "" && m != "own" && m != "gojos" {
		return fmt.Errorf("-seed-machine %q: want own or gojos", m)
	}
	g, err := gojosSystem("gojos", o.image, o.kernel)
	if err != nil {
		return err
	}
	systems := []system{g}
	if o.baseline != "" {
		s, err := gojosSystem("gojos (baseline)", o.baseline, o.baselineKernel)
		if err != nil {
			return err
		}
		systems = append(systems, s)
	}
	if o.seed != "" {
		s, err := seedSystem(o.seed, o.seedTest2)
		if err != nil {
			return err
		}
		if o.seedMachine == "gojos" {
			s.pc = false
			s.name = "C JOS (seed-lean)"
		}
		systems = append(systems, s)
	}
	for i := range systems {
		systems[i].extra = append(systems[i].extra, o.qemuArgs...)
	}
	res := make([][]result, len(systems))
	for r := 0; r < o.rounds; r++ {
		for k := range systems {
			i := (k + r) % len(systems) // alternate who goes first
			x, err := bootOnce(o.qemu, systems[i])
			if err != nil {
				return fmt.Errorf("round %d, %s: %v", r+1, systems[i].name, err)
			}
			res[i] = append(res[i], x)
		}
	}
	fmt.Fprintf(out, "seed scenario side by side: %d rounds, alternating, under %s (TCG); medians (min–max)\n", o.rounds, o.qemu)
	if len(o.qemuArgs) > 0 {
		fmt.Fprintf(out, "  with QEMU arguments %q for every system\n", o.qemuArgs)
	}
	for _, s := range systems {
		machine := "the gojos machine (QEMU's default PC with " + strings.Join(console.LeanArgs, " ") + ")"
		if s.pc {
			machine = "QEMU's default PC (VGA adapter and network card included)"
		}
		fmt.Fprintf(out, "  %s boots on %s\n", s.name, machine)
	}
	report(out, systems, res)
	if o.tstampImage == "" {
		return nil
	}
	ti, err := console.ResolveFile("tstamp image", o.tstampImage, os.Getenv)
	if err != nil {
		return err
	}
	return breakdown(out, o.qemu, ti, o.rounds, o.qemuArgs)
}

// gojosSystem is a gojos image; kpatch_test2's address comes from its kernel.
func gojosSystem(name, image, kernel string) (system, error) {
	if image == "" || kernel == "" {
		return system{}, fmt.Errorf("%s: an image and its kernel are both required", name)
	}
	image, err := console.ResolveFile("image", image, os.Getenv)
	if err != nil {
		return system{}, err
	}
	kernel, err = console.ResolveFile("kernel", kernel, os.Getenv)
	if err != nil {
		return system{}, err
	}
	t2, err := symbol(kernel, "kpatch_test2", ".kpatch_test2")
	if err != nil {
		return system{}, err
	}
	return system{
		name: name, image: image, test2: t2, finish: "halt",
		steps: seedSteps(`kpatch_test2 called`, `Hello World`),
	}, nil
}

func seedSystem(dir, test2 string) (system, error) {
	s := system{
		name: "C JOS (seed)", image: filepath.Join(dir, "kernel.img"), test2: test2, pc: true,
		steps: seedSteps(`kpatch_test2 called`, `(?i)hello world`),
	}
	fs := filepath.Join(dir, "fs.img")
	for _, p := range []string{s.image, fs} {
		if _, err := os.Stat(p); err != nil {
			return s, fmt.Errorf("-seed: %v", err)
		}
	}
	s.extra = []string{"-drive", "file=" + strings.ReplaceAll(fs, ",", ",,") + ",index=1,format=raw,snapshot=on"}
	if k := filepath.Join(dir, "kernel"); fileExists(k) {
		a, err := symbol(k, "kpatch_test2")
		if err != nil {
			return s, err
		}
		s.test2 = a
	}
	return s, nil
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// symbol returns the address of the function named name, or ending in one
// of suffixes, in an ELF file's symbol table, as 0x….
func symbol(path, name string, suffixes ...string) (string, error) {
	f, err := elf.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		return "", fmt.Errorf("%s: %v", path, err)
	}
	for _, s := range syms {
		match := s.Name == name
		for _, suf := range suffixes {
			match = match || strings.HasSuffix(s.Name, suf)
		}
		if match && elf.ST_TYPE(s.Info) == elf.STT_FUNC {
			return fmt.Sprintf("%#x", s.Value), nil
		}
	}
	return "", fmt.Errorf("%s: no function %s", path, name)
}

// bootOnce boots s, runs the seed scenario and measures it.
func bootOnce(qemu string, s system) (result, error) {
	var x result
	start := time.Now()
	c, err := console.Start(context.Background(), console.Config{QEMU: qemu, Image: s.image, ExtraArgs: s.extra,
		DefaultDevices: s.pc, Timeout: 2 * time.Minute})
	if err != nil {
		return x, err
	}
	defer c.Close()
	if _, err := c.Expect(`\$ `, 0); err != nil {
		return x, err
	}
	x.prompt = time.Since(start)
	addr := s.test2
	for i, st := range s.steps {
		line := st.send
		if strings.Contains(line, "%s") {
			line = fmt.Sprintf(line, addr)
		}
		sent := time.Now()
		if err := c.Send(line); err != nil {
			return x, err
		}
		m, err := c.Expect(st.expect, 0)
		if err != nil {
			return x, err
		}
		if len(m) > 1 {
			addr = m[1]
		}
		if i == len(s.steps)-1 {
			x.hello = time.Since(start)
		}
		if st.expect != `\$ ` {
			if _, err := c.Expect(`\$ `, 0); err != nil {
				return x, err
			}
		}
		x.steps = append(x.steps, time.Since(sent))
	}
	x.commands = time.Since(start) - x.prompt
	if s.finish == "" {
		return x, nil
	}
	if err := c.Send(s.finish); err != nil {
		return x, err
	}
	return x, c.ExpectGuestExit(0, 0)
}

func report(out io.Writer, systems []system, res [][]result) {
	measures := []struct {
		name, short string
		get         func(result) time.Duration
	}{
		{"QEMU start → first prompt", "boot", func(r result) time.Duration { return r.prompt }},
		{"QEMU start → Hello World (seed scenario)", "seed", func(r result) time.Duration { return r.hello }},
		{"the 7 commands alone (first → last prompt)", "7 commands", func(r result) time.Duration { return r.commands }},
	}
	fmt.Fprintf(out, "  %-44s", "measure")
	for _, s := range systems {
		fmt.Fprintf(out, " %24s", s.name)
	}
	for _, s := range systems[1:] {
		fmt.Fprintf(out, " %10s", "÷ "+strings.Fields(s.name)[len(strings.Fields(s.name))-1])
	}
	fmt.Fprintln(out)
	for _, m := range measures {
		fmt.Fprintf(out, "  %-44s", m.name)
		var meds []time.Duration
		for i := range systems {
			var ds []time.Duration
			for _, r := range res[i] {
				ds = append(ds, m.get(r))
			}
			lo, med, hi := bench.Summarize(ds)
			meds = append(meds, med)
			fmt.Fprintf(out, " %24s", fmt.Sprintf("%.0f ms (%.0f–%.0f)", bench.Ms(med), bench.Ms(lo), bench.Ms(hi)))
		}
		printRatios(out, meds)
	}
	for _, s := range systems[1:] {
		fmt.Fprintf(out, "  (ratio ÷ %s: %s / %s)\n", strings.Fields(s.name)[len(strings.Fields(s.name))-1], systems[0].name, s.name)
	}
	// Each round boots every system once, close together in time: the
	// ratio within a round cancels most of a change in the host's speed
	// between rounds, which moves the medians above.
	for k, s := range systems[1:] {
		var parts []string
		for _, m := range measures {
			if lo, med, hi, ok := pairedRatios(res[0], res[k+1], m.get); ok {
				parts = append(parts, fmt.Sprintf("%s %.2f× (%.2f–%.2f)", m.short, med, lo, hi))
			}
		}
		fmt.Fprintf(out, "  %s / %s within each round, median (min–max): %s\n", systems[0].name, s.name, strings.Join(parts, "; "))
	}
	reportSteps(out, systems, res)
}

// printRatios ends a table row with the first system's median over each
// other's.
func printRatios(out io.Writer, meds []time.Duration) {
	for _, d := range meds[1:] {
		if d > 0 {
			fmt.Fprintf(out, " %9.2f×", float64(meds[0])/float64(d))
		} else {
			fmt.Fprintf(out, " %10s", "-")
		}
	}
	fmt.Fprintln(out)
}

// reportSteps prints each command of the scenario, from its line sent to
// the next prompt: medians per system and the ratios of the medians.
func reportSteps(out io.Writer, systems []system, res [][]result) {
	fmt.Fprintf(out, "  each command, line sent → next prompt, medians:\n")
	for j, st := range systems[0].steps {
		fmt.Fprintf(out, "    %-42s", strings.ReplaceAll(st.send, "%s", "…"))
		var meds []time.Duration
		for i := range systems {
			var ds []time.Duration
			for _, r := range res[i] {
				if j < len(r.steps) {
					ds = append(ds, r.steps[j])
				}
			}
			med := time.Duration(0)
			if len(ds) > 0 {
				med = bench.Median(ds)
			}
			meds = append(meds, med)
			fmt.Fprintf(out, " %24s", fmt.Sprintf("%.1f ms", bench.Ms(med)))
		}
		printRatios(out, meds)
	}
}

// pairedRatios returns the smallest, median and largest of a[r]/b[r] over
// the rounds r where both were measured.
func pairedRatios(a, b []result, get func(result) time.Duration) (lo, med, hi float64, ok bool) {
	var rs []float64
	for r := range min(len(a), len(b)) {
		if x, y := get(a[r]), get(b[r]); x > 0 && y > 0 {
			rs = append(rs, float64(x)/float64(y))
		}
	}
	if len(rs) == 0 {
		return 0, 0, 0, false
	}
	lo, med, hi = bench.Summarize(rs)
	return lo, med, hi, true
}

// milestones of gojos's boot on its console, in order (host clock at arrival).
var milestones = []struct{ name, pattern string }{
	{"stage 2 (firmware, stage 1)", `gojos boot: stage 2`},
	{"loader reads kernel, initrd, symbols", `gojos boot: kernel \d+ bytes`},
	{"trap tier: memory, CPU tables, TSC", `gojos: starting the Go runtime`},
	{"Go runtime start → banner", `gojos \d+\.\d+ \(i386`},
	{"banner → first prompt", `\$ `},
}

// breakdown boots the tstamp image n times: the boot's console milestones
// (host clock), then the kernel timeline's boot and command phases (guest
// TSC) for "kcall kpatch_test1" run twice, medians of n: the first run
// carries what the kernel and QEMU do once (first use of its code paths,
// the console's idle-time warm-up), the second is a warm command.
func breakdown(out io.Writer, qemu, image string, n int, extra []string) error {
	host := make([][]time.Duration, len(milestones))
	var boot, cmd, warm [][]time.Duration
	var bootNames, cmdNames []string
	for r := 0; r < n; r++ {
		start := time.Now()
		c, err := console.Start(context.Background(), console.Config{QEMU: qemu, Image: image, ExtraArgs: extra, Timeout: 2 * time.Minute})
		if err != nil {
			return err
		}
		prev := time.Duration(0)
		for i, m := range milestones {
			if _, err := c.Expect(m.pattern, 0); err != nil {
				c.Close()
				return err
			}
			t := time.Since(start)
			host[i] = append(host[i], t-prev)
			prev = t
		}
		text, err := timeline(c)
		c.Close()
		if err != nil {
			return err
		}
		recs, err := bench.ParseTimeline(text)
		if err != nil {
			return err
		}
		bp, err := bench.BootPhases(recs)
		if err != nil {
			return err
		}
		// The command is the first fork after the first prompt, where
		// the boot's phases end.
		var prompt time.Duration
		for _, p := range bp {
			prompt += p.D
		}
		cp, end, err := bench.NextCommand(recs, prompt)
		if err != nil {
			return err
		}
		wp, _, err := bench.NextCommand(recs, end)
		if err != nil {
			return err
		}
		boot, bootNames = collect(boot, bp), names(bp)
		cmd, cmdNames = collect(cmd, cp), names(cp)
		warm = collect(warm, wp)
	}
	fmt.Fprintf(out, "\ngojos boot, console milestones (host clock at arrival), medians of %d:\n", n)
	for i, m := range milestones {
		fmt.Fprintf(out, "  %-46s %8.1f ms\n", m.name, bench.Ms(bench.Median(host[i])))
	}
	fmt.Fprintf(out, "gojos boot, kernel timeline (guest TSC), medians of %d:\n", n)
	for i, name := range bootNames {
		fmt.Fprintf(out, "  %-46s %8.1f ms\n", name, bench.Ms(bench.Median(boot[i])))
	}
	fmt.Fprintf(out, "one command, kcall kpatch_test1 (guest TSC), medians of %d: first run, again\n", n)
	for i, name := range cmdNames {
		fmt.Fprintf(out, "  %-46s %8.2f ms %8.2f ms\n", name, bench.Ms(bench.Median(cmd[i])), bench.Ms(bench.Median(warm[i])))
	}
	return nil
}

func collect(acc [][]time.Duration, ps []bench.Phase) [][]time.Duration {
	if acc == nil {
		acc = make([][]time.Duration, len(ps))
	}
	for i, p := range ps {
		acc[i] = append(acc[i], p.D)
	}
	return acc
}

func names(ps []bench.Phase) []string {
	var s []string
	for _, p := range ps {
		s = append(s, p.Name)
	}
	return s
}

var tstampEnd = regexp.MustCompile(`(# tstamp [\s\S]*?)\r?\n\$ `)

// timeline runs one command twice, then prints /proc/tstamp and returns
// it.
func timeline(c *console.Session) (string, error) {
	for i := 0; i < 2; i++ {
		if err := c.Send("kcall kpatch_test1"); err != nil {
			return "", err
		}
		if _, err := c.Expect(`kpatch_test1 returned 1[\s\S]*?\$ `, 0); err != nil {
			return "", err
		}
	}
	if err := c.Send("cat /proc/tstamp"); err != nil {
		return "", err
	}
	m, err := c.Expect(tstampEnd.String(), time.Minute)
	if err != nil {
		return "", err
	}
	return m[1], nil
}
