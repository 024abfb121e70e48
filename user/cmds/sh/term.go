package sh

import (
	"io"
	"os"
	"os/signal"
	"syscall"
	"unsafe"

	"gojos/user/internal/cmdutil"
)

// terminal is the console of an interactive shell. Two things make Ctrl-C
// work as on Linux:
//
//   - Job control: each foreground job runs in a process group of its own
//     that becomes the console's foreground group (os/exec's
//     SysProcAttr.Foreground), so the kernel's SIGINT (Ctrl-C) and SIGQUIT
//     (Ctrl-\) reach the job and neither the shell nor background jobs,
//     which get groups of their own too; the shell takes the console back
//     when the job is done.
//   - While the line editor reads a line, the console's ISIG is off:
//     Ctrl-C is then a byte the editor reads (it drops the line) instead
//     of a signal. ISIG is back on while commands run. Each time, the
//     console gets the mode the shell found at its start (with ISIG), so
//     whatever a program left there does not outlive it.
//
// The shell also catches SIGINT and SIGQUIT (and does nothing with them),
// so one that reaches it in between does no harm. It must not ignore them:
// an ignored signal stays ignored in the programs it starts, a caught one
// does not.
type terminal struct {
	fd    int
	jobs  bool            // the console is the shell's controlling terminal
	pgid  int             // the shell's own process group
	saved syscall.Termios // the console's mode at the start, ISIG on
}

// openTerminal returns the terminal on in, or nil if in is not one.
func openTerminal(in io.Reader) *terminal {
	f, ok := in.(*os.File)
	if !ok {
		return nil
	}
	t := &terminal{fd: int(f.Fd())}
	m, err := t.mode()
	if err != nil {
		return nil
	}
	t.saved = m
	t.saved.Lflag |= syscall.ISIG
	var fg int32
	if ioctl(t.fd, syscall.TIOCGPGRP, unsafe.Pointer(&fg)) == nil {
		t.jobs = true
		t.pgid = syscall.Getpgrp()
		c := make(chan os.Signal, 4)
		signal.Notify(c, syscall.SIGINT, syscall.SIGQUIT)
		go func() {
			for range c {
			}
		}()
	}
	return t
}

// lineIO returns what the line editor reads and echoes to: on a terminal,
// its file descriptors used with plain system calls (the editor moves one
// byte per call, and os.File's locking costs more than the byte: some 500
// of a byte's 7,500 instructions under -icount); otherwise in and out.
func (t *terminal) lineIO(in io.Reader, out io.Writer) (io.Reader, io.Writer) {
	if t == nil {
		return in, out
	}
	if f, ok := out.(*os.File); ok {
		out = cmdutil.FD(f.Fd())
	}
	return cmdutil.FD(t.fd), out
}

func ioctl(fd int, req uintptr, arg unsafe.Pointer) error {
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), req, uintptr(arg)); e != 0 {
		return e
	}
	return nil
}

func (t *terminal) mode() (syscall.Termios, error) {
	var m syscall.Termios
	return m, ioctl(t.fd, syscall.TCGETS, unsafe.Pointer(&m))
}

// signals sets the console's saved mode, with ISIG on or off.
func (t *terminal) signals(on bool) {
	if t == nil {
		return
	}
	m := t.saved
	if !on {
		m.Lflag &^= syscall.ISIG
	}
	ioctl(t.fd, syscall.TCSETS, unsafe.Pointer(&m))
}

// procAttr returns how to start a job's command: in process group pgid
// (0: a new one, named by the command's pid), made the console's
// foreground group if fg. nil without job control.
func (t *terminal) procAttr(pgid int, fg bool) *syscall.SysProcAttr {
	if t == nil || !t.jobs {
		return nil
	}
	return &syscall.SysProcAttr{Setpgid: true, Pgid: pgid, Foreground: fg, Ctty: t.fd}
}

// takeBack makes the shell's group the console's foreground group again.
func (t *terminal) takeBack() {
	if t == nil || !t.jobs {
		return
	}
	pgid := int32(t.pgid)
	ioctl(t.fd, syscall.TIOCSPGRP, unsafe.Pointer(&pgid))
}
