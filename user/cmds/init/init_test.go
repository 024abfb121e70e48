package initcmd

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"syscall"
	"testing"
	"time"
)

// event is one answer of the fake wait: a child that ended, or an error.
type event struct {
	pid    int
	status syscall.WaitStatus
	err    error
	after  time.Duration // the clock advances this much before it
}

var errStop = errors.New("end of test")

// fake runs the supervisor against scripted starts and waits.
type fake struct {
	clock   time.Time
	pids    []int // the pids the starts return (0: the start fails), then 99
	starts  int
	events  []event
	sleeps  []time.Duration
	out     bytes.Buffer
	stopped bool
}

func (f *fake) supervisor() *supervisor {
	return &supervisor{
		start: func() (int, error) {
			f.starts++
			if f.starts > len(f.pids) {
				return 99, nil // the wait after it ends the test
			}
			pid := f.pids[f.starts-1]
			if pid == 0 {
				return 0, errors.New("no such file")
			}
			return pid, nil
		},
		wait: func() (int, syscall.WaitStatus, error) {
			if len(f.events) == 0 {
				f.stopped = true
				return 0, 0, errStop
			}
			e := f.events[0]
			f.events = f.events[1:]
			f.clock = f.clock.Add(e.after)
			return e.pid, e.status, e.err
		},
		now:   func() time.Time { return f.clock },
		sleep: func(d time.Duration) { f.sleeps = append(f.sleeps, d); f.clock = f.clock.Add(d) },
		log:   &f.out,
	}
}

func exited(code int) syscall.WaitStatus { return syscall.WaitStatus(code << 8) }

func TestRestartsShellAndReapsOrphans(t *testing.T) {
	f := &fake{pids: []int{5, 9}, events: []event{
		{pid: 7, status: exited(0), after: time.Second}, // an orphan
		{err: syscall.EINTR},
		{pid: 5, status: exited(0), after: time.Minute}, // the shell: Ctrl-D
		{pid: 9, status: syscall.WaitStatus(syscall.SIGKILL), after: time.Minute},
	}}
	err := f.supervisor().run()
	if !errors.Is(err, errStop) {
		t.Fatalf("run: %v", err)
	}
	want := "init: /bin/sh (pid 5) exited with status 0; starting a new one\n" +
		"init: /bin/sh (pid 9) was killed by signal SIGKILL; starting a new one\n"
	if f.out.String() != want {
		t.Errorf("log:\n%s\nwant:\n%s", f.out.String(), want)
	}
	if f.starts != 3 || len(f.sleeps) != 0 {
		t.Errorf("%d starts, sleeps %v; want 3 and no pause", f.starts, f.sleeps)
	}
}

func TestPausesAfterQuickExits(t *testing.T) {
	f := &fake{pids: []int{2, 3, 0, 4, 5}, events: []event{
		{pid: 2, status: exited(1), after: time.Millisecond},
		{pid: 3, status: exited(1), after: time.Millisecond},
		// the third start fails: three quick ends in a row
		{pid: 4, status: exited(1), after: time.Minute}, // a long run resets the count
	}}
	f.supervisor().run()
	if len(f.sleeps) != 1 || f.sleeps[0] != pause {
		t.Errorf("sleeps %v, want one pause of %v", f.sleeps, pause)
	}
	log := f.out.String()
	for _, w := range []string{"init: cannot start /bin/sh: no such file\n",
		"init: /bin/sh ended at once 3 times in a row; starting it again in 10s\n"} {
		if !strings.Contains(log, w) {
			t.Errorf("log lacks %q:\n%s", w, log)
		}
	}
	if f.starts != 5 {
		t.Errorf("%d starts, want 5 (pid 5 is still running)", f.starts)
	}
}

func TestNoChildren(t *testing.T) {
	// ECHILD: the shell is gone without a trace; init starts another.
	f := &fake{pids: []int{2}, events: []event{{err: syscall.ECHILD}}}
	f.supervisor().run()
	if f.starts != 2 || !f.stopped {
		t.Errorf("%d starts, stopped %v: want a new shell after ECHILD", f.starts, f.stopped)
	}
}

func TestWaitError(t *testing.T) {
	f := &fake{pids: []int{2}, events: []event{{err: syscall.EFAULT}}}
	if err := f.supervisor().run(); !errors.Is(err, syscall.EFAULT) || !strings.Contains(err.Error(), "wait4") {
		t.Errorf("run: %v, want the wait4 error", err)
	}
}

func TestRunRefusesOtherPids(t *testing.T) {
	// The test binary is not pid 1.
	err := Run([]string{"init"}, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "pid 1") {
		t.Errorf("Run: %v", err)
	}
}
