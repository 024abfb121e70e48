package sh

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"syscall"

	"gojos/user/internal/cmdutil"
)

// Exit statuses the shell itself gives, as POSIX shells do.
const (
	statusNotFound = 127 // no such program
	statusNoExec   = 126 // found, but it cannot be run
	statusSignal   = 128 // plus the signal number
)

// runPipeline runs one pipeline and returns its status: the last
// command's. A builtin runs in the shell itself and only alone.
func (s *Shell) runPipeline(p Pipeline) int {
	if b, ok := builtins()[p[0][0]]; ok && len(p) == 1 {
		return b(s, p[0])
	}
	l, status := s.launch(p, s.Stdin, true)
	if l == nil {
		return status
	}
	defer s.term.takeBack()
	return s.finish(l)
}

// launched is a started pipeline.
type launched struct {
	cmds     []*exec.Cmd // every command; the first started of them run
	started  int
	startErr error // why cmds[started] did not start
}

// launch starts the commands of a pipeline (the first reading stdin), in
// a process group of their own (with job control), the console's
// foreground group if fg; nil and a status when nothing could start.
func (s *Shell) launch(p Pipeline, stdin io.Reader, fg bool) (*launched, int) {
	for _, c := range p {
		if _, ok := builtins()[c[0]]; ok {
			fmt.Fprintf(s.Stderr, "sh: %s: a builtin cannot be part of a pipeline\n", c[0])
			return nil, 2
		}
	}

	cmds := make([]*exec.Cmd, len(p))
	var closeAfterStart []*os.File
	closeAll := func() {
		for _, f := range closeAfterStart {
			f.Close()
		}
		closeAfterStart = nil
	}
	for i, c := range p {
		path, status := s.find(c[0])
		if status != 0 {
			closeAll()
			return nil, status
		}
		cmds[i] = &exec.Cmd{Path: path, Args: c, Stdin: stdin, Stdout: s.Stdout, Stderr: s.Stderr}
		if i > 0 {
			r, w, err := os.Pipe()
			if err != nil {
				fmt.Fprintf(s.Stderr, "sh: pipe: %v\n", err)
				closeAll()
				return nil, 1
			}
			cmds[i-1].Stdout, cmds[i].Stdin = w, r
			closeAfterStart = append(closeAfterStart, r, w)
		}
	}

	l := &launched{cmds: cmds}
	for i, c := range cmds {
		pgid := 0 // the first command's pid names the job's group
		if i > 0 {
			pgid = cmds[0].Process.Pid
		}
		c.SysProcAttr = s.term.procAttr(pgid, fg)
		if l.startErr = c.Start(); l.startErr != nil {
			fmt.Fprintf(s.Stderr, "sh: %s: %v\n", c.Args[0], unwrapExec(l.startErr))
			break
		}
		l.started++
	}
	// The children hold their ends of the pipes now; the shell must not,
	// or a reader would never see the end of its input.
	closeAll()
	return l, 0
}

// finish waits for a launched pipeline and returns its status: the last
// command's, or 126/127 when it could not start.
func (s *Shell) finish(l *launched) int {
	status := 0
	for i, c := range l.cmds[:l.started] {
		st := s.report(c.Args[0], c.Wait())
		if i == len(l.cmds)-1 {
			status = st
		}
	}
	if l.startErr != nil {
		status = statusNoExec
		if errors.Is(l.startErr, fs.ErrNotExist) {
			status = statusNotFound
		}
	}
	return status
}

// find resolves a program name: names with a "/" as they are, others in
// s.Path. It prints why not and returns a non-zero status on failure.
func (s *Shell) find(name string) (string, int) {
	if strings.Contains(name, "/") {
		return name, 0
	}
	for _, dir := range s.Path {
		p := name // an empty entry is the current directory
		switch {
		case strings.HasSuffix(dir, "/"):
			p = dir + name
		case dir != "":
			p = dir + "/" + name
		}
		// One stat(2), without os.Stat's FileInfo: this runs for every
		// command, and its first run is translated with the command.
		var st syscall.Stat_t
		if syscall.Stat(p, &st) == nil && st.Mode&syscall.S_IFMT != syscall.S_IFDIR {
			return p, 0
		}
	}
	fmt.Fprintf(s.Stderr, "sh: %s: not found\n", name)
	return "", statusNotFound
}

// report prints a program's failure and returns its exit status:
// 128+n if signal n killed it.
func (s *Shell) report(name string, err error) int {
	if err == nil {
		return 0
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		fmt.Fprintf(s.Stderr, "sh: %s: %v\n", name, err)
		return 1
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		fmt.Fprintf(s.Stderr, "sh: %s: killed by signal %s\n", name, cmdutil.SignalName(ws.Signal()))
		return statusSignal + int(ws.Signal())
	}
	fmt.Fprintf(s.Stderr, "sh: %s: exit status %d\n", name, ee.ExitCode())
	return ee.ExitCode()
}

// unwrapExec drops os/exec's "fork/exec /bin/x:" prefix, which repeats
// what the shell already says.
func unwrapExec(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
