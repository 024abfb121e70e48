package main

import (
	"strings"
	"testing"
)

func TestRunNeedsImage(t *testing.T) {
	if err := run(options{}, nil); err == nil || !strings.Contains(err.Error(), "-image") {
		t.Errorf("err = %v", err)
	}
}

func TestSeedSteps(t *testing.T) {
	// Every step that substitutes an address follows one that captures it.
	captured := false
	for _, st := range seed {
		if strings.Contains(st.send, "%s") && !captured {
			t.Errorf("step %q uses an address before one is captured", st.send)
		}
		if strings.Contains(st.expect, "(0x") {
			captured = true
		}
	}
}

func TestParseKbench(t *testing.T) {
	report := "kbench: guest clock, 50 repetitions (0 for modules)\n" +
		"  ctl round trip (lasterror) median     26.0 us  (min     19.5, max   1598.0)\n" +
		"  patch apply (kpatch A B)   median     83.7 us  (min     59.2, max   1448.6)\n" +
		"  getpid system call         median      8.8 us  (min      8.7, max      9.2)\n"
	names, us := parseKbench(report)
	want := []string{"ctl round trip (lasterror)", "patch apply (kpatch A B)", "getpid system call"}
	if strings.Join(names, "|") != strings.Join(want, "|") {
		t.Fatalf("names = %q, want %q", names, want)
	}
	if us["patch apply (kpatch A B)"] != 83.7 || us["getpid system call"] != 8.8 || us["ctl round trip (lasterror), min"] != 19.5 {
		t.Errorf("values = %v", us)
	}
	if n, _ := parseKbench("kbench: nothing timed\n"); len(n) != 0 {
		t.Errorf("names from an empty report: %q", n)
	}
}

func TestPairedFigures(t *testing.T) {
	a := []map[string]float64{{"x": 10}, {"x": 20}, {"y": 1}}
	b := []map[string]float64{{"x": 5}, {"x": 30}, {"x": 7}}
	xa, xb, rs := pairedFigures(a, b, "x")
	if len(rs) != 2 || rs[0] != 0.5 || rs[1] != 1.5 || xa[1] != 20 || xb[0] != 5 {
		t.Errorf("got %v %v %v", xa, xb, rs)
	}
}

func TestPairedRunsShort(t *testing.T) {
	runs := pairedRuns(options{pn: 50, sys: 20})
	if len(runs) != 2 || runs[0] != "kbench -sys 20" || runs[1] != "kbench -n 50 -m 0 -lp 0" {
		t.Errorf("runs = %q", runs)
	}
}
