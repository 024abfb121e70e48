// Package console drives a gojos guest through its serial console: it starts
// QEMU with COM1 on a pipe, records everything the guest prints, waits for
// regular expressions in that output, types lines and checks how QEMU exits.
// Every boot test uses it, directly or through the consoletest CLI.
//
// Errors returned by a Session are *Error values whose text includes the
// whole transcript, so a failing test shows what the guest printed.
package console

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"
)

// DefaultTimeout is used by Expect and ExpectExit when neither the call nor
// the Config gives a timeout.
const DefaultTimeout = 30 * time.Second

// drainTime bounds how long a session waits, after QEMU exited, for output
// still in the pipe (a stray child could hold the pipe open forever).
const drainTime = 2 * time.Second

// Config describes the QEMU to start.
type Config struct {
	// QEMU is the emulator binary, a path or a name looked up on PATH.
	// Default DefaultQEMU.
	QEMU string
	// Image is the raw disk image to boot. Required unless Args is set.
	Image string
	// Memory is the guest RAM size (QEMU -m syntax). Default DefaultMemory.
	Memory string
	// ExtraArgs are appended to the generated QEMU arguments.
	ExtraArgs []string
	// DefaultDevices boots the image on QEMU's default PC, its VGA adapter
	// and network card included, instead of the gojos machine (LeanArgs):
	// for another system that uses them, such as the C original with its
	// CGA console.
	DefaultDevices bool
	// Args, if non-nil, replaces the generated arguments entirely
	// (ExtraArgs is still appended). Meant for tests of this package.
	Args []string
	// Env is added to this process's environment for QEMU.
	Env []string
	// Log, if set, receives the guest's output and QEMU's stderr as they
	// arrive.
	Log io.Writer
	// LineEnding is appended by Send. Default "\n".
	LineEnding string
	// Timeout is the default for calls given a zero timeout.
	// Default DefaultTimeout.
	Timeout time.Duration
}

// Session is a running QEMU whose serial console is connected to the driver.
type Session struct {
	cfg   Config
	argv  []string
	cmd   *exec.Cmd
	stdin *os.File

	mu       sync.Mutex
	out      []byte        // everything the guest printed
	pos      int           // Expect searches out[pos:]
	changed  chan struct{} // closed and replaced whenever the state changes
	exited   bool
	exitCode int // raw QEMU exit status; -1 if killed by a signal
	waitErr  error

	stderr     lockedBuffer
	readerDone chan struct{}
	done       chan struct{} // closed once QEMU exited and output drained
	closeOnce  sync.Once
}

// Start launches QEMU as described by cfg. Cancelling ctx kills QEMU. The
// caller must call Close, which also kills QEMU and anything it started.
func Start(ctx context.Context, cfg Config) (*Session, error) {
	if cfg.QEMU == "" {
		cfg.QEMU = DefaultQEMU
	}
	if cfg.LineEnding == "" {
		cfg.LineEnding = "\n"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	s := &Session{cfg: cfg, changed: make(chan struct{}),
		readerDone: make(chan struct{}), done: make(chan struct{})}

	args := cfg.Args
	if args == nil {
		if cfg.Image == "" {
			return nil, s.fail("start", "no disk image configured")
		}
		if _, err := os.Stat(cfg.Image); err != nil {
			return nil, s.fail("start", fmt.Sprintf("disk image: %v (build it with `bazel build //:image`)", err))
		}
		machine := MachineArgs(cfg.Image, cfg.Memory)
		if cfg.DefaultDevices {
			machine = pcArgs(cfg.Image, cfg.Memory)
		}
		args = sessionArgs(machine, nil)
	}
	args = append(append([]string(nil), args...), cfg.ExtraArgs...)
	path, err := exec.LookPath(cfg.QEMU)
	if err != nil {
		return nil, s.fail("start", fmt.Sprintf("QEMU not found: %v; run the setup command from README.md "+
			"(it installs qemu-system-x86) or point the QEMU setting at qemu-system-i386", err))
	}
	s.argv = append([]string{path}, args...)

	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, s.fail("start", err.Error())
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, s.fail("start", err.Error())
	}
	cmd := exec.Command(path, args...)
	cmd.Env = append(os.Environ(), cfg.Env...)
	cmd.Stdin, cmd.Stdout = inR, outW
	cmd.Stderr = &teeWriter{&s.stderr, cfg.Log}
	cmd.WaitDelay = drainTime
	// A process group of its own lets Close kill QEMU and anything it
	// spawned; Pdeathsig kills QEMU if this process dies first.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	err = cmd.Start()
	inR.Close()
	outW.Close()
	if err != nil {
		inW.Close()
		outR.Close()
		return nil, s.fail("start", err.Error())
	}
	s.cmd, s.stdin = cmd, inW

	go s.read(outR)
	go s.wait()
	go func() {
		select {
		case <-ctx.Done():
			s.kill()
		case <-s.done:
		}
	}()
	return s, nil
}

func (s *Session) read(r *os.File) {
	defer close(s.readerDone)
	defer r.Close()
	buf := make([]byte, 4096)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			s.mu.Lock()
			s.out = append(s.out, buf[:n]...)
			if s.cfg.Log != nil {
				s.cfg.Log.Write(buf[:n])
			}
			s.broadcastLocked()
			s.mu.Unlock()
		}
		if err != nil {
			return
		}
	}
}

func (s *Session) wait() {
	err := s.cmd.Wait()
	code := -1
	if ps := s.cmd.ProcessState; ps != nil {
		code = ps.ExitCode()
	}
	select {
	case <-s.readerDone:
	case <-time.After(drainTime):
	}
	s.mu.Lock()
	s.exited, s.exitCode = true, code
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		s.waitErr = err
	}
	s.broadcastLocked()
	s.mu.Unlock()
	close(s.done)
}

func (s *Session) broadcastLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// kill sends SIGKILL to QEMU's process group.
func (s *Session) kill() {
	if s.cmd != nil && s.cmd.Process != nil {
		syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	}
}

func (s *Session) timeout(d time.Duration) time.Duration {
	if d <= 0 {
		return s.cfg.Timeout
	}
	return d
}

// Expect waits until the output after the previous match contains a match
// of the regular expression pattern, then returns the match and its
// submatches (as regexp.FindStringSubmatch does) and moves the search
// position past the match.
func (s *Session) Expect(pattern string, timeout time.Duration) ([]string, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, s.fail("expect", err.Error())
	}
	return s.ExpectRegexp(re, timeout)
}

// ExpectRegexp is Expect with a compiled regular expression.
func (s *Session) ExpectRegexp(re *regexp.Regexp, timeout time.Duration) ([]string, error) {
	timeout = s.timeout(timeout)
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		if loc := re.FindSubmatchIndex(s.out[s.pos:]); loc != nil {
			m := make([]string, len(loc)/2)
			for i := range m {
				if loc[2*i] >= 0 {
					m[i] = string(s.out[s.pos+loc[2*i] : s.pos+loc[2*i+1]])
				}
			}
			s.pos += loc[1]
			s.mu.Unlock()
			return m, nil
		}
		exited, code, ch := s.exited, s.exitCode, s.changed
		s.mu.Unlock()
		if exited {
			return nil, s.fail("expect", fmt.Sprintf("QEMU ended (%s) before the output matched /%s/", DescribeExit(code), re))
		}
		select {
		case <-ch:
		case <-timer.C:
			return nil, s.fail("expect", fmt.Sprintf("timed out after %v waiting for /%s/", timeout, re))
		}
	}
}

// Send types line followed by the configured line ending.
func (s *Session) Send(line string) error {
	return s.SendRaw(line + s.cfg.LineEnding)
}

// SendRaw writes data to the serial port as it is.
func (s *Session) SendRaw(data string) error {
	s.mu.Lock()
	exited, code := s.exited, s.exitCode
	s.mu.Unlock()
	if exited {
		return s.fail("send", fmt.Sprintf("cannot send %q: QEMU ended (%s)", data, DescribeExit(code)))
	}
	if _, err := io.WriteString(s.stdin, data); err != nil {
		return s.fail("send", fmt.Sprintf("sending %q: %v", data, err))
	}
	return nil
}

// ExpectExit waits for QEMU to end and returns its raw exit status (see
// GuestStatus and DescribeExit). If QEMU was killed by a signal, the status
// is -1 and an error is returned.
func (s *Session) ExpectExit(timeout time.Duration) (int, error) {
	timeout = s.timeout(timeout)
	select {
	case <-s.done:
	case <-time.After(timeout):
		return 0, s.fail("exit", fmt.Sprintf("QEMU still running after %v", timeout))
	}
	s.mu.Lock()
	code, werr := s.exitCode, s.waitErr
	s.mu.Unlock()
	if werr != nil {
		return code, s.fail("exit", werr.Error())
	}
	if code < 0 {
		return code, s.fail("exit", DescribeExit(code))
	}
	return code, nil
}

// ExpectGuestExit waits for QEMU to end and checks that the guest ended it
// by writing status to the debug-exit port (0 is success).
func (s *Session) ExpectGuestExit(status int, timeout time.Duration) error {
	code, err := s.ExpectExit(timeout)
	if err != nil {
		return err
	}
	if got, ok := GuestStatus(code); !ok || got != status {
		return s.fail("exit", fmt.Sprintf("want guest status %d (QEMU exit status %d), got %s", status, status<<1|1, DescribeExit(code)))
	}
	if msg := qemuErrors(s.Stderr()); code == 1 && msg != "" {
		// QEMU also exits 1 when it fails; the guest wrote 0 only if
		// QEMU had nothing to complain about.
		return s.fail("exit", "QEMU exit status 1 with errors on stderr, so a QEMU failure, not guest success: "+msg)
	}
	return nil
}

// qemuErrors returns the first line of stderr that is not a warning.
func qemuErrors(stderr string) string {
	for _, line := range strings.Split(stderr, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.Contains(line, "warning:") {
			return line
		}
	}
	return ""
}

// Close kills QEMU and every process it started, and waits for it to end.
// It is safe to call more than once and after QEMU has exited.
func (s *Session) Close() error {
	s.closeOnce.Do(func() {
		s.kill()
		if s.stdin != nil {
			s.stdin.Close()
		}
		if s.cmd != nil {
			<-s.done
		}
	})
	return nil
}

// Transcript returns everything the guest has printed so far.
func (s *Session) Transcript() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return string(s.out)
}

// Stderr returns what QEMU itself printed on stderr so far.
func (s *Session) Stderr() string { return s.stderr.String() }

// Command returns the QEMU command line, program first.
func (s *Session) Command() []string { return append([]string(nil), s.argv...) }

func (s *Session) fail(op, msg string) *Error {
	s.mu.Lock()
	e := &Error{Op: op, Msg: msg, Command: s.argv, Transcript: string(s.out), SearchedFrom: -1}
	if op == "expect" {
		e.SearchedFrom = s.pos
	}
	s.mu.Unlock()
	e.Stderr = s.stderr.String()
	return e
}

// Error is a failed session operation with everything needed to debug it.
type Error struct {
	Op           string   // "start", "expect", "send" or "exit"
	Msg          string   // what went wrong
	Command      []string // the QEMU command line, if QEMU was started
	Transcript   string   // the guest's whole output
	SearchedFrom int      // for expect: offset in Transcript where the search began; else -1
	Stderr       string   // QEMU's own stderr
}

// Error reports the failure followed by the whole transcript.
func (e *Error) Error() string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "console %s: %s\n", e.Op, e.Msg)
	if len(e.Command) > 0 {
		fmt.Fprintf(&b, "command: %s\n", QuoteCommand(e.Command))
	}
	t := e.Transcript
	fmt.Fprintf(&b, "----- transcript: guest serial output, %d bytes -----\n", len(t))
	if e.SearchedFrom >= 0 && e.SearchedFrom <= len(t) {
		b.WriteString(Printable(t[:e.SearchedFrom]))
		b.WriteString("<<<expect searched from here>>>")
		t = t[e.SearchedFrom:]
	}
	b.WriteString(Printable(t))
	if len(t) > 0 && t[len(t)-1] != '\n' {
		b.WriteString("\n")
	}
	b.WriteString("----- end of transcript -----")
	if e.Stderr != "" {
		fmt.Fprintf(&b, "\n----- QEMU stderr -----\n%s", Printable(e.Stderr))
		if e.Stderr[len(e.Stderr)-1] != '\n' {
			b.WriteString("\n")
		}
		b.WriteString("----- end of QEMU stderr -----")
	}
	return b.String()
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

type teeWriter struct {
	buf *lockedBuffer
	log io.Writer
}

func (t *teeWriter) Write(p []byte) (int, error) {
	t.buf.Write(p)
	if t.log != nil {
		t.log.Write(p)
	}
	return len(p), nil
}
