package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestRunValidates(t *testing.T) {
	if err := run(options{rounds: 1}, nil); err == nil {
		t.Error("missing image accepted")
	}
	if err := run(options{image: "x", kernel: "y", rounds: 0}, nil); err == nil {
		t.Error("zero rounds accepted")
	}
	if err := run(options{image: "x", kernel: "y", rounds: 1, seedMachine: "q35"}, nil); err == nil ||
		!strings.Contains(err.Error(), "-seed-machine") {
		t.Errorf("unknown seed machine: %v", err)
	}
	if _, err := gojosSystem("b", "img", ""); err == nil {
		t.Error("baseline without a kernel accepted")
	}
	if _, err := seedSystem(t.TempDir(), "0x1"); err == nil || !strings.Contains(err.Error(), "kernel.img") {
		t.Errorf("seed dir without images: %v", err)
	}
}

func TestSeedStepsCaptureBeforeUse(t *testing.T) {
	captured := 0
	for _, st := range seedSteps("a", "b") {
		if strings.Contains(st.expect, "(0x") {
			captured++
		}
	}
	if n := len(seedSteps("a", "b")); n != 7 || captured != 1 {
		t.Errorf("%d steps, %d captures", n, captured)
	}
}

func TestReportRatios(t *testing.T) {
	var b bytes.Buffer
	sys := []system{{name: "gojos"}, {name: "seed"}}
	res := [][]result{
		{{prompt: 200 * time.Millisecond, hello: 400 * time.Millisecond, commands: 100 * time.Millisecond}},
		{{prompt: 100 * time.Millisecond, hello: 400 * time.Millisecond, commands: 50 * time.Millisecond}},
	}
	report(&b, sys, res)
	for _, want := range []string{"2.00×", "1.00×", "200 ms", "÷ seed", "gojos / seed within each round", "boot 2.00× (2.00–2.00)"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
	}
}

// Ratios within a round cancel a host that slows down between rounds: the
// medians of the two systems would say 1.5 here, each round says 2.
func TestPairedRatios(t *testing.T) {
	ms := func(d int) time.Duration { return time.Duration(d) * time.Millisecond }
	a := []result{{prompt: ms(200)}, {prompt: ms(400)}, {prompt: ms(800)}, {prompt: ms(0)}}
	b := []result{{prompt: ms(100)}, {prompt: ms(200)}, {prompt: ms(400)}, {prompt: ms(300)}}
	lo, med, hi, ok := pairedRatios(a, b, func(r result) time.Duration { return r.prompt })
	if !ok || lo != 2 || med != 2 || hi != 2 {
		t.Errorf("pairedRatios = %v %v %v %v, want 2 2 2 true (the round without a figure left out)", lo, med, hi, ok)
	}
	if _, _, _, ok := pairedRatios(a[3:], b[3:], func(r result) time.Duration { return r.prompt }); ok {
		t.Error("a round without a figure gave a ratio")
	}
	lo, med, hi, _ = pairedRatios(a[:2], []result{{prompt: ms(100)}, {prompt: ms(100)}}, func(r result) time.Duration { return r.prompt })
	if lo != 2 || med != 3 || hi != 4 {
		t.Errorf("two rounds: %v %v %v, want 2 3 4", lo, med, hi)
	}
}

// Each command gets a row: every system's median from line sent to next
// prompt, and the ratio of the medians; a system without the command's
// figure shows 0 and no ratio.
func TestReportSteps(t *testing.T) {
	ms := func(d int) time.Duration { return time.Duration(d) * time.Millisecond }
	steps := seedSteps("a", "b")
	sys := []system{{name: "gojos", steps: steps}, {name: "seed", steps: steps}, {name: "none", steps: steps}}
	g := make([]time.Duration, len(steps))
	s := make([]time.Duration, len(steps))
	for i := range steps {
		g[i], s[i] = ms(30+i), ms(10)
	}
	res := [][]result{
		{{steps: g}, {steps: g}},
		{{steps: s}, {steps: s[:1]}}, // the second boot lost its figures after the first command
		{{}},                         // no figures at all
	}
	var b bytes.Buffer
	reportSteps(&b, sys, res)
	out := b.String()
	for _, want := range []string{"kcall kpatch_test1", "kpatch kpatch_test1 …", "30.0 ms", "10.0 ms", "0.0 ms", "3.00×", "3.60×", "  -\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "\n"); n != len(steps)+1 {
		t.Errorf("%d lines, want a heading and %d commands:\n%s", n, len(steps), out)
	}
}
