package sh

import (
	"regexp"
	"strings"
	"testing"
)

func TestParseBackground(t *testing.T) {
	for _, tc := range []struct {
		line string
		n    int
		bg   []bool
	}{
		{"a &", 1, []bool{true}},
		{"a & b", 2, []bool{true, false}},
		{"a | b & c; d &", 3, []bool{true, false, true}},
		{"echo '&' \"&\" \\&", 1, []bool{false}},
	} {
		pipes, bg, err := Background(tc.line, nil)
		if err != nil || len(pipes) != tc.n || len(bg) != len(tc.bg) {
			t.Errorf("%q: %v %v %v", tc.line, pipes, bg, err)
			continue
		}
		for i := range bg {
			if bg[i] != tc.bg[i] {
				t.Errorf("%q: background %v, want %v", tc.line, bg, tc.bg)
			}
		}
	}
	for _, bad := range []string{"&", "a & & b", "a && b", "| a &"} {
		if _, _, err := Background(bad, nil); err == nil {
			t.Errorf("%q: no syntax error", bad)
		}
	}
}

func TestJobs(t *testing.T) {
	dir := bin(t)
	h := helperName
	out, errs, status := run(t, dir, h+" echo one & "+h+" exit 3 &", "wait %2", "wait")
	if status != 0 || !strings.Contains(out, "one\n") {
		t.Fatalf("out %q errs %q status %d", out, errs, status)
	}
	if !regexp.MustCompile(`(?m)^\[1\] \d+\n`).MatchString(out) || !regexp.MustCompile(`(?m)^\[2\] \d+\n`).MatchString(out) {
		t.Errorf("job lines missing: %q", out)
	}

	var o, e buffer
	s := New(nil, &o, &e)
	s.Path = []string{dir}
	s.RunLine(h + " exit 3 &")
	if s.Status != 0 {
		t.Errorf("& status %d", s.Status)
	}
	s.RunLine("wait %1")
	if s.Status != 3 {
		t.Errorf("wait %%1: status %d, want 3", s.Status)
	}
	s.RunLine("wait %7")
	if s.Status != statusNotFound || !strings.Contains(e.String(), "wait: %7: no such job") {
		t.Errorf("wait %%7: %d %q", s.Status, e.String())
	}
	s.RunLine(h + " kill &")
	s.RunLine("jobs")
	s.RunLine("wait")
	o.Reset()
	s.RunLine(h + " echo bg &")
	s.RunLine("wait " + strings.Fields(strings.Split(o.String(), "]")[1])[0])
	if s.Status != 0 || !strings.Contains(o.String(), "bg\n") {
		t.Errorf("wait PID: %d %q", s.Status, o.String())
	}
	s.RunLine("cd / &")
	if s.Status != 2 {
		t.Errorf("builtin &: status %d", s.Status)
	}
}

func TestReportDone(t *testing.T) {
	dir := bin(t)
	var o, e buffer
	s := New(nil, &o, &e)
	s.Path = []string{dir}
	s.RunLine(helperName + " exit 4 &")
	s.jobs.mu.Lock()
	j := s.jobs.jobs[0]
	s.jobs.mu.Unlock()
	<-j.done
	s.reportDone()
	if !strings.Contains(o.String(), "[1]+ Exit 4") {
		t.Errorf("report: %q", o.String())
	}
	o.Reset()
	s.reportDone()
	if o.Len() != 0 {
		t.Errorf("reported twice: %q", o.String())
	}
}
