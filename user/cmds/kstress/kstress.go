// Package kstress is the kstress command: a live-patching stress run. Caller
// threads call the kernel's quiet bench functions (kcall) in loops while the
// main thread patches and unpatches several of them at once, in a random
// order fixed by the seed; every call must return the value of one of the
// functions (never a torn jump or a crash), and at the end nothing may be
// left patched and every function must return its own value.
//
//	kstress [-cycles 1000] [-callers 2] [-seed 1]
package kstress

import (
	"fmt"
	"io"
	"math/rand"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gojos/user/internal/cmdutil"
	"gojos/user/internal/kctl"
)

// Targets are the kernel functions patched, with their own results
// (kern/kpatch/doc.go).
var Targets = []struct {
	Name  string
	Value int
}{
	{"kpatch_bench_a", 10}, {"kpatch_bench_b", 20}, {"kpatch_bench_c", 30}, {"kpatch_bench_d", 40},
}

// ctl is the kernel interface; a variable for tests.
var ctl = kctl.Ctl

// Run is the kstress command.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := cmdutil.FlagSet("kstress", "[-cycles N] [-callers N] [-seed N]", stderr)
	cycles := flags.Int("cycles", 1000, "patch/unpatch cycles (each patches 1-4 functions, then removes them)")
	callers := flags.Int("callers", 2, "threads calling the functions meanwhile")
	seed := flags.Int64("seed", 1, "random seed (the cycle sequence is a function of it)")
	if err := cmdutil.Parse(flags, args); err != nil {
		return err
	}
	if flags.NArg() != 0 || *cycles < 0 || *callers < 0 {
		flags.Usage()
		return cmdutil.Usage
	}
	valid := map[int]bool{}
	for _, t := range Targets {
		valid[t.Value] = true
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	calls := make([]int, *callers)
	results := make([]map[int]int, *callers)
	errs := make(chan error, *callers)
	for c := 0; c < *callers; c++ {
		results[c] = map[int]int{}
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				t := Targets[(i+c)%len(Targets)]
				v, err := call(t.Name)
				if err != nil {
					errs <- fmt.Errorf("caller %d: kcall %s: %v", c, t.Name, err)
					return
				}
				if !valid[v] {
					errs <- fmt.Errorf("caller %d: %s returned %d, not the result of any target", c, t.Name, v)
					return
				}
				calls[c]++
				results[c][v]++
				runtime.Gosched() // take turns (see above cycle)
			}
		}(c)
	}
	rng := rand.New(rand.NewSource(*seed))
	start := time.Now()
	patched, loops := 0, 0
	var err error
	for i := 0; i < *cycles && err == nil; i++ {
		var n, l int
		n, l, err = cycle(rng)
		patched += n
		loops += l
	}
	elapsed := time.Since(start)
	stop.Store(true)
	wg.Wait()
	close(errs)
	for e := range errs {
		if err == nil {
			err = e
		}
	}
	if err != nil {
		return err
	}
	if err := checkClean(); err != nil {
		return err
	}
	total := 0
	seen := map[int]int{}
	for c := range calls {
		total += calls[c]
		for v, k := range results[c] {
			seen[v] += k
		}
	}
	fmt.Fprintf(stdout, "kstress: seed %d: %d cycles (%d patches applied and removed, %d refused as loops) in %v, %.0f cycles/s\n",
		*seed, *cycles, patched, loops, elapsed.Round(time.Millisecond), float64(*cycles)/elapsed.Seconds())
	fmt.Fprintf(stdout, "kstress: %d callers made %d calls, results %s\n", *callers, total, histogram(seen))
	fmt.Fprintln(stdout, "kstress: ok: nothing left patched, every function returns its own value")
	return nil
}

// The callers and the patcher yield after each request: on one CPU a
// goroutine whose system calls are short keeps running until it is
// preempted, and the callers would then see only the few states the
// patcher happened to be in at those moments (whether they did depended
// on how fast patching was). Taking turns, the callers call the functions
// in every state a cycle goes through, unpatched ones included.

// cycle patches 1 to 4 distinct targets, each to another target, then
// removes the patches in a random order; it returns how many it applied
// and how many the kernel refused because they would close a loop of
// jumps (a -> b while b -> a): refusing those is the kernel's job.
func cycle(rng *rand.Rand) (applied, loops int, err error) {
	order := rng.Perm(len(Targets))
	n := 1 + rng.Intn(len(Targets))
	var undo []int
	for _, i := range order[:n] {
		j := (i + 1 + rng.Intn(len(Targets)-1)) % len(Targets)
		_, err := ctl("kpatch " + Targets[i].Name + " " + Targets[j].Name)
		runtime.Gosched() // take turns (see above cycle)
		if err != nil {
			if strings.Contains(err.Error(), "loop forever") {
				loops++
				continue
			}
			return 0, 0, fmt.Errorf("kpatch %s %s: %v", Targets[i].Name, Targets[j].Name, err)
		}
		undo = append(undo, i)
	}
	rng.Shuffle(len(undo), func(a, b int) { undo[a], undo[b] = undo[b], undo[a] })
	for _, i := range undo {
		_, err := ctl("kpatch -u " + Targets[i].Name)
		runtime.Gosched() // take turns (see above cycle)
		if err != nil {
			return 0, 0, fmt.Errorf("kpatch -u %s: %v", Targets[i].Name, err)
		}
	}
	return len(undo), loops, nil
}

// call runs kcall of name and returns its result.
func call(name string) (int, error) {
	out, err := ctl("kcall " + name)
	if err != nil {
		return 0, err
	}
	const sep = " returned "
	i := strings.LastIndex(out, sep)
	if i < 0 {
		return 0, fmt.Errorf("unexpected answer %q", out)
	}
	return strconv.Atoi(strings.TrimSpace(out[i+len(sep):]))
}

// checkClean verifies that no target is patched and each returns its own
// value.
func checkClean() error {
	out, err := ctl("kpatch -l")
	if err != nil {
		return err
	}
	for _, t := range Targets {
		if strings.Contains(out, t.Name) {
			return fmt.Errorf("%s is still patched: %s", t.Name, out)
		}
		v, err := call(t.Name)
		if err != nil {
			return err
		}
		if v != t.Value {
			return fmt.Errorf("%s returns %d after the run, want %d", t.Name, v, t.Value)
		}
	}
	return nil
}

func histogram(m map[int]int) string {
	var vs []int
	for v := range m {
		vs = append(vs, v)
	}
	sort.Ints(vs)
	var b strings.Builder
	for i, v := range vs {
		if i > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "%d:%d", v, m[v])
	}
	return b.String()
}
