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
	for _, want := range []string{"2.00×", "1.00×", "200 ms", "÷ seed"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
	}
}
