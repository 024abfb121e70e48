package main

import (
	"testing"
	"time"
)

func TestSummarize(t *testing.T) {
	lo, med, hi := summarize([]time.Duration{5, 1, 3})
	if lo != 1 || med != 3 || hi != 5 {
		t.Errorf("odd: %v %v %v", lo, med, hi)
	}
	_, med, _ = summarize([]time.Duration{4, 1, 3, 2})
	if med != 2 { // (2+3)/2 in integer nanoseconds
		t.Errorf("even median %v", med)
	}
}

func TestRunValidates(t *testing.T) {
	if err := run(options{runs: 1}, nil); err == nil {
		t.Error("missing image accepted")
	}
	if err := run(options{image: "x", runs: 0}, nil); err == nil {
		t.Error("zero runs accepted")
	}
}
