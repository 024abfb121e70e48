package sh

import (
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

func TestTerminalNotATerminal(t *testing.T) {
	if openTerminal(strings.NewReader("")) != nil {
		t.Error("a strings.Reader is a terminal")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if openTerminal(r) != nil {
		t.Error("a pipe is a terminal")
	}
	var nilTerm *terminal
	nilTerm.signals(true) // no terminal: nothing to do
	nilTerm.takeBack()
	if nilTerm.procAttr(0, true) != nil {
		t.Error("process attributes without a terminal")
	}
}

// openPTY returns the two ends of a new pseudo-terminal, or skips.
func openPTY(t *testing.T) (master, slave *os.File) {
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals: %v", err)
	}
	var unlock int32
	var n uint32
	if ioctl(int(m.Fd()), syscall.TIOCSPTLCK, unsafe.Pointer(&unlock)) != nil ||
		ioctl(int(m.Fd()), syscall.TIOCGPTN, unsafe.Pointer(&n)) != nil {
		m.Close()
		t.Skip("pseudo-terminal setup failed")
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		t.Skipf("pseudo-terminal: %v", err)
	}
	return m, s
}

// On a terminal that is not the test's controlling terminal the shell has
// no job control, but switches ISIG off while editing and back on.
func TestTerminalSignals(t *testing.T) {
	m, s := openPTY(t)
	defer m.Close()
	defer s.Close()
	term := openTerminal(s)
	if term == nil {
		t.Fatal("a pseudo-terminal is not a terminal")
	}
	if term.jobs || term.procAttr(0, true) != nil {
		t.Error("job control on a terminal that is not the controlling one")
	}
	term.signals(false)
	if mode, _ := term.mode(); mode.Lflag&syscall.ISIG != 0 {
		t.Error("ISIG on while editing")
	}
	term.signals(true)
	if mode, _ := term.mode(); mode.Lflag&syscall.ISIG == 0 {
		t.Error("ISIG off while commands run")
	}
}

func TestProcAttr(t *testing.T) {
	term := &terminal{fd: 0, jobs: true}
	a := term.procAttr(42, true)
	if a == nil || !a.Setpgid || a.Pgid != 42 || !a.Foreground || a.Ctty != 0 {
		t.Errorf("foreground attributes %+v", a)
	}
	if a := term.procAttr(0, false); a == nil || a.Foreground || !a.Setpgid {
		t.Errorf("background attributes %+v", a)
	}
}

func TestLineIOWithoutTerminal(t *testing.T) {
	in, out := strings.NewReader(""), new(strings.Builder)
	var nilTerm *terminal
	if r, w := nilTerm.lineIO(in, out); r != io.Reader(in) || w != io.Writer(out) {
		t.Error("without a terminal the line editor must use what it was given")
	}
}
