package proc

import (
	"sync"
	"testing"
	"time"
)

func TestTermiosBytes(t *testing.T) {
	d := DefaultTermios()
	b := d.Bytes()
	if len(b) != TermiosSize || b[12] != ISIG || b[17+VINTR] != 0x03 || b[17+VQUIT] != 0x1c {
		t.Fatalf("default termios % x", b)
	}
	if back := ParseTermios(b); back != d {
		t.Fatalf("round trip %+v", back)
	}
}

// signals collects what the line discipline sends.
type signals struct {
	mu  sync.Mutex
	got []int
	c   chan int
}

func (s *signals) send(sig int) {
	s.mu.Lock()
	s.got = append(s.got, sig)
	s.mu.Unlock()
	s.c <- sig
}

func TestLineDisciplineSignals(t *testing.T) {
	dev := newChanReader()
	c := NewConsoleInput(dev)
	s := &signals{c: make(chan int, 10)}
	c.Signal = s.send
	res := readAsync(c, 64, nil)
	<-dev.reads
	dev.c <- "\x03\x1cafter"
	for _, want := range []int{2, 3} {
		select {
		case got := <-s.c:
			if got != want {
				t.Fatalf("signal %d, want %d", got, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no signal")
		}
	}
	if r := <-res; r.s != "after" {
		t.Fatalf("input around the signals: %q", r.s)
	}
}

func TestLineDisciplineOff(t *testing.T) {
	dev := newChanReader()
	c := NewConsoleInput(dev)
	s := &signals{c: make(chan int, 10)}
	c.Signal = s.send
	raw := DefaultTermios()
	raw.Lflag &^= ISIG // what the shell's line editor does while it reads a line
	c.SetTermios(raw, false)
	res := readAsync(c, 64, nil)
	<-dev.reads
	dev.c <- "ab\x03\x1c"
	if r := <-res; r.s != "ab\x03\x1c" {
		t.Fatalf("raw read %q", r.s)
	}
	if len(s.got) != 0 {
		t.Fatalf("signals with ISIG off: %v", s.got)
	}
}

func TestLineDisciplineFlushAndNoflsh(t *testing.T) {
	c := NewConsoleInput(nil)
	c.buf = append(c.buf, "old"...)
	if sigs := c.receive([]byte("x\x03y")); len(sigs) != 1 || sigs[0] != 2 || string(c.buf) != "y" {
		t.Fatalf("flush: sigs %v buf %q", sigs, c.buf)
	}
	term := DefaultTermios()
	term.Lflag |= NOFLSH
	term.Cc[VQUIT] = 0 // disabled
	c.SetTermios(term, false)
	if sigs := c.receive([]byte("z\x03\x1c\x00")); len(sigs) != 1 || string(c.buf) != "yz\x1c\x00" {
		t.Fatalf("noflsh: sigs %v buf %q", sigs, c.buf)
	}
	c.SetTermios(term, true)
	if len(c.buf) != 0 {
		t.Fatalf("TCSETSF kept %q", c.buf)
	}
}
