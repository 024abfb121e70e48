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
