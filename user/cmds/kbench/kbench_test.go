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
		return copy(resp, "ok\n"), 0
	}
	readFile = func(string) ([]byte, error) { t.Error("module read with -m 0"); return nil, nil }
	var b bytes.Buffer
	if err := Run([]string{"kbench", "-n", "2", "-m", "0", "-lp", "0"}, nil, &b, &b); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if len(reqs) != 8 || reqs[0] != "lasterror" || reqs[1] != "kpatch kpatch_bench_a kpatch_bench_b" {
		t.Errorf("requests: %q", reqs)
	}
	for _, s := range []string{"ctl round trip", "patch apply", "unpatch", "kcall round trip"} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("no %q in %q", s, b.String())
		}
	}
	if strings.Contains(b.String(), "insmod") {
		t.Errorf("module lines with -m 0: %q", b.String())
	}
}
