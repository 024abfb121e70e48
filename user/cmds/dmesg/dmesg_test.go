package dmesg

import (
	"bytes"
	"errors"
	"strings"
	"syscall"
	"testing"

	"gojos/kern/klog"
	"gojos/user/internal/cmdutil"
)

func TestParseArgs(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want Options
		err  string
	}{
		{nil, Options{}, ""},
		{[]string{"-rc"}, Options{Raw: true, Clear: true}, ""},
		{[]string{"-C"}, Options{ClearOnly: true}, ""},
		{[]string{"-n", "8"}, Options{Level: 8}, ""},
		{[]string{"-rn1"}, Options{Raw: true, Level: 1}, ""},
		{[]string{"-D", "-E"}, Options{ConsoleOff: true, ConsoleOn: true}, ""},
		{[]string{"-n"}, Options{}, "needs a level"},
		{[]string{"-n", "9"}, Options{}, "bad console level"},
		{[]string{"-x"}, Options{}, "unknown option -x"},
		{[]string{"file"}, Options{}, "unexpected argument"},
	} {
		got, err := ParseArgs(tc.args)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want %q", tc.args, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: %+v %v, want %+v", tc.args, got, err, tc.want)
		}
	}
}

// fakeLog answers syslog(2) from a fixed text.
func fakeLog(text string, calls *[]int) func(int, []byte) (int, error) {
	return func(action int, buf []byte) (int, error) {
		*calls = append(*calls, action)
		switch action {
		case klog.ActionSizeBuffer:
			return 64 << 10, nil
		case klog.ActionReadAll, klog.ActionReadClear:
			return copy(buf, text), nil
		case klog.ActionClear:
			return 0, nil
		}
		return 0, syscall.EPERM
	}
}

func TestRun(t *testing.T) {
	saved := Klogctl
	t.Cleanup(func() { Klogctl = saved })
	const log = "<5>[    0.010000] gojos 0.1\n<4>[    1.500000] test2 address: 0x7d6000\n"
	run := func(args ...string) (int, string, string, []int) {
		var calls []int
		Klogctl = fakeLog(log, &calls)
		var out, errs bytes.Buffer
		st := cmdutil.Status("dmesg", Run(append([]string{"dmesg"}, args...), nil, &out, &errs), &errs)
		return st, out.String(), errs.String(), calls
	}
	if st, out, _, _ := run(); st != 0 || out != "[    0.010000] gojos 0.1\n[    1.500000] test2 address: 0x7d6000\n" {
		t.Errorf("dmesg: %d %q", st, out)
	}
	if st, out, _, _ := run("-r"); st != 0 || out != log {
		t.Errorf("dmesg -r: %d %q", st, out)
	}
	if _, _, _, calls := run("-c"); len(calls) != 2 || calls[1] != klog.ActionReadClear {
		t.Errorf("dmesg -c calls %v", calls)
	}
	if st, out, _, calls := run("-C"); st != 0 || out != "" || len(calls) != 1 || calls[0] != klog.ActionClear {
		t.Errorf("dmesg -C: %d %q %v", st, out, calls)
	}
	if st, _, errs, _ := run("-D"); st != 1 || errs != "dmesg: disabling the console: operation not permitted\n" {
		t.Errorf("dmesg -D refused: %d %q", st, errs)
	}
	if st, _, errs, _ := run("-q"); st != 2 || !strings.Contains(errs, "usage: dmesg") {
		t.Errorf("dmesg -q: %d %q", st, errs)
	}
	Klogctl = func(int, []byte) (int, error) { return 0, errors.New("no log") }
	var out, errs bytes.Buffer
	if st := cmdutil.Status("dmesg", Run([]string{"dmesg"}, nil, &out, &errs), &errs); st != 1 || !strings.Contains(errs.String(), "no log") {
		t.Errorf("failing syslog: %d %q", st, errs.String())
	}
}
