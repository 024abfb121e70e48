package kbench

import (
	"bytes"
	"strings"
	"syscall"
	"testing"
	"time"

	"gojos/user/internal/kctl"
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

// With -m 0 and -lp 0 only the requests are timed: no module is read and
// the module lines are left out (an empty series used to panic).
func TestRequestsOnly(t *testing.T) {
	saved, savedRead := kctl.RawCtl, readFile
	t.Cleanup(func() { kctl.RawCtl, readFile = saved, savedRead })
	var reqs []string
	kctl.RawCtl = func(req, resp []byte) (int, syscall.Errno) {
		reqs = append(reqs, string(req))
		if string(req) == "kpatch -t" {
			return copy(resp, "patch 2 median 41000 min 30500 max 52000 ns\nunpatch 2 median 38000 min 29000 max 47000 ns\n"), 0
		}
		return copy(resp, "ok\n"), 0
	}
	readFile = func(string) ([]byte, error) { t.Error("module read with -m 0"); return nil, nil }
	var b bytes.Buffer
	if err := Run([]string{"kbench", "-n", "2", "-m", "0", "-lp", "0"}, nil, &b, &b); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	// The kernel's record is started before the loop and read after it.
	if len(reqs) != 10 || reqs[0] != "kpatch -t" || reqs[1] != "lasterror" || reqs[2] != "kpatch kpatch_bench_a kpatch_bench_b" || reqs[9] != "kpatch -t" {
		t.Errorf("requests: %q", reqs)
	}
	for _, s := range []string{"ctl round trip", "patch apply", "unpatch", "kcall round trip",
		"patch apply, kernel side   median     41.0 us  (min     30.5, max     52.0)",
		"unpatch, kernel side       median     38.0 us  (min     29.0, max     47.0)"} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("no %q in %q", s, b.String())
		}
	}
	if strings.Contains(b.String(), "insmod") {
		t.Errorf("module lines with -m 0: %q", b.String())
	}
}

func TestReportKernelSideRefusesMissingTimes(t *testing.T) {
	var b bytes.Buffer
	for _, answer := range []string{"", "patch 0 median 0 min 0 max 0 ns\nunpatch 0 median 0 min 0 max 0 ns\n", "patch 3 median 1 min 1 max 1 ns\n"} {
		if err := reportKernelSide(&b, answer, 3); err == nil {
			t.Errorf("answer %q accepted", answer)
		}
	}
	b.Reset()
	if err := reportKernelSide(&b, "", 0); err != nil || b.Len() != 0 {
		t.Errorf("n = 0: %v, %q", err, b.String())
	}
}
