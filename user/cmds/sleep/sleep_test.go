package sleep

import (
	"bytes"
	"testing"
	"time"

	"gojos/user/internal/cmdutil"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"1": time.Second, "0.5": 500 * time.Millisecond, "2m": 2 * time.Minute,
		"1h": time.Hour, "1d": 24 * time.Hour, "3s": 3 * time.Second, "0": 0,
	} {
		if got, err := Parse([]string{in}); err != nil || got != want {
			t.Errorf("%q: %v %v, want %v", in, got, err, want)
		}
	}
	if got, _ := Parse([]string{"1", "1m"}); got != 61*time.Second {
		t.Errorf("sum %v", got)
	}
	for _, bad := range [][]string{nil, {"x"}, {"-1"}, {"1x"}, {"inf"}, {"NaN"}} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if got, _ := Parse([]string{"1e300"}); got <= 0 {
		t.Errorf("huge: %v", got)
	}
}

func TestRun(t *testing.T) {
	var out, errs bytes.Buffer
	start := time.Now()
	if st := cmdutil.Status("sleep", Run([]string{"sleep", "0.05"}, nil, &out, &errs), &errs); st != 0 || time.Since(start) < 50*time.Millisecond {
		t.Errorf("sleep 0.05: %d after %v", st, time.Since(start))
	}
	if st := cmdutil.Status("sleep", Run([]string{"sleep"}, nil, &out, &errs), &errs); st != 2 {
		t.Errorf("sleep without operand: %d", st)
	}
}
