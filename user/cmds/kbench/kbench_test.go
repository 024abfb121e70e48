package kbench

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestReport(t *testing.T) {
	var b bytes.Buffer
	report(&b, "x", []time.Duration{3 * time.Microsecond, time.Microsecond, 2 * time.Microsecond})
	if !strings.Contains(b.String(), "median      2.0 us  (min      1.0, max      3.0)") {
		t.Errorf("report: %q", b.String())
	}
}

func TestBadFlag(t *testing.T) {
	var b bytes.Buffer
	if err := Run([]string{"kbench", "-bogus"}, nil, &b, &b); err == nil {
		t.Error("bad flag accepted")
	}
}

func TestSyscalls(t *testing.T) {
	var b bytes.Buffer
	if err := Run([]string{"kbench", "-sys", "3"}, nil, &b, &b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "3 batches of 100 calls") || !strings.Contains(b.String(), "getpid system call") {
		t.Errorf("output: %q", b.String())
	}
}

// On the host (Linux's vDSO, or none), the runtime's clocks agree with the
// system call's.
func TestClock(t *testing.T) {
	var b bytes.Buffer
	if err := Run([]string{"kbench", "-clock", "3"}, nil, &b, &b); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	for _, s := range []string{"vDSO", "clocks agree", "3 batches of 100 calls", "clock_gettime, runtime", "clock_gettime system call"} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("no %q in %q", s, b.String())
		}
	}
}
