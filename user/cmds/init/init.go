// Package initcmd is /bin/init, the first process, which the kernel starts
// on the console: it runs the console shell, starts a new one whenever the
// shell ends, and reaps every process the kernel hands it (a process whose
// parent ended becomes init's child, as on Linux).
package initcmd

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"gojos/user/internal/cmdutil"
)

// Run is init's main. As pid 1 it never returns unless waiting for
// children fails; started as any other process, it refuses.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if os.Getpid() != 1 {
		return errors.New("not the first process: only the kernel starts init (pid 1)")
	}
	// The kernel passes init only the signals it has handlers for, and a
	// Go program has handlers for all. Relay the ones whose default would
	// end it (caught, not ignored: the shell and its programs must not
	// inherit SIG_IGN), and no more: each signal the runtime has to start
	// relaying costs a round trip between two of its threads.
	signal.Notify(make(chan os.Signal, 1), fatal...)
	s := supervisor{start: startShell, wait: reap, now: time.Now, sleep: time.Sleep, log: stdout}
	return s.run()
}

// fatal are the signals that end a Go program when another process sends
// them and nothing relays them: exit for SIGHUP, SIGINT and SIGTERM, a
// crash for the others (the runtime's sigtable). The rest are ignored
// unless relayed.
var fatal = []os.Signal{
	syscall.SIGHUP, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGILL, syscall.SIGTRAP, syscall.SIGABRT,
	syscall.SIGBUS, syscall.SIGFPE, syscall.SIGSEGV, syscall.SIGTERM, syscall.SIGSTKFLT, syscall.SIGSYS,
}

const (
	shellPath = "/bin/sh"
	// A shell that ends sooner than quickExit after its start has ended
	// at once; after maxQuick such ends (or failed starts) in a row, init
	// waits pause before the next start instead of spinning.
	quickExit = 2 * time.Second
	maxQuick  = 3
	pause     = 10 * time.Second
)

// supervisor is init's loop, with the system calls it makes as functions
// (the tests give their own).
type supervisor struct {
	start func() (pid int, err error)                        // starts the shell
	wait  func() (pid int, ws syscall.WaitStatus, err error) // reaps any child
	now   func() time.Time
	sleep func(time.Duration)
	log   io.Writer
}

// run starts the shell and reaps children until waiting fails with an
// error other than EINTR or ECHILD.
func (s *supervisor) run() error {
	shell, quick := 0, 0 // the running shell's pid (0: none); ends at once in a row
	var started time.Time
	for {
		if shell == 0 {
			if quick >= maxQuick {
				fmt.Fprintf(s.log, "init: %s ended at once %d times in a row; starting it again in %v\n", shellPath, quick, pause)
				s.sleep(pause)
				quick = 0
			}
			pid, err := s.start()
			if err != nil {
				fmt.Fprintf(s.log, "init: cannot start %s: %v\n", shellPath, err)
				quick++
				continue
			}
			shell, started = pid, s.now()
		}
		pid, ws, err := s.wait()
		switch {
		case errors.Is(err, syscall.EINTR):
			continue
		case errors.Is(err, syscall.ECHILD):
			shell = 0 // no child at all: the shell is gone
			quick++
			continue
		case err != nil:
			return fmt.Errorf("wait4: %w", err)
		case pid != shell:
			continue // an orphan, reaped
		}
		fmt.Fprintf(s.log, "init: %s (pid %d) %s; starting a new one\n", shellPath, pid, describe(ws))
		shell = 0
		if s.now().Sub(started) < quickExit {
			quick++
		} else {
			quick = 0
		}
	}
}

// describe says how a process ended.
func describe(ws syscall.WaitStatus) string {
	if ws.Signaled() {
		return "was killed by signal " + cmdutil.SignalName(ws.Signal())
	}
	return fmt.Sprintf("exited with status %d", ws.ExitStatus())
}

// startShell starts the console shell in a process group of its own, the
// console's foreground group, with init's console and environment.
func startShell() (int, error) {
	cmd := &exec.Cmd{
		Path:        shellPath,
		Args:        []string{"sh"},
		Env:         os.Environ(),
		Stdin:       os.Stdin,
		Stdout:      os.Stdout,
		Stderr:      os.Stderr,
		SysProcAttr: &syscall.SysProcAttr{Setpgid: true, Foreground: true, Ctty: 0},
	}
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	pid := cmd.Process.Pid
	cmd.Process.Release() // reaped by reap, with every other child
	return pid, nil
}

// reap waits for any child to end.
func reap() (int, syscall.WaitStatus, error) {
	var ws syscall.WaitStatus
	pid, err := syscall.Wait4(-1, &ws, 0, nil)
	return pid, ws, err
}
