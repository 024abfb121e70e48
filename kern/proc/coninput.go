package proc

import (
	"io"
	"sync"

	"gojos/kern/abi/linux"
)

// ConsoleInput is the kernel's only reader of the console. One goroutine
// (the pump) reads the device and keeps what arrives in a small buffer;
// processes take bytes from the buffer. A process's read waits on a
// channel, not on the device, so when the process dies its read is simply
// abandoned: it never takes input that arrives afterwards (which would be
// lost with the dead process), and the next reader gets it instead.
//
// The pump is also the console's line discipline: with ISIG set (Termios),
// the VINTR and VQUIT characters are not input but SIGINT and SIGQUIT for
// the foreground process group, sent through Signal.
type ConsoleInput struct {
	src  io.Reader
	once sync.Once

	// Signal sends a signal raised by the line discipline to the console's
	// foreground process group (set by the kernel before input flows).
	Signal func(sig int)

	mu    sync.Mutex
	term  Termios
	buf   []byte        // received and not yet read, at most ConsoleBuffer bytes
	err   error         // the device's error, reported once buf is empty
	ready chan struct{} // closed and replaced whenever buf or err changes
	room  chan struct{} // closed and replaced when a full buf shrinks (the pump waits)
}

// ConsoleBuffer is how many typed-ahead bytes the kernel keeps; beyond it
// the pump stops reading and the device's own buffer fills.
const ConsoleBuffer = 4096

// NewConsoleInput returns a ConsoleInput reading src. The pump starts with
// the first Read.
func NewConsoleInput(src io.Reader) *ConsoleInput {
	return &ConsoleInput{src: src, term: DefaultTermios(), ready: make(chan struct{}), room: make(chan struct{})}
}

// Termios returns the console's mode.
func (c *ConsoleInput) Termios() Termios {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.term
}

// SetTermios sets the console's mode (TCSETS); with flush (TCSETSF) the
// input received and not yet read is discarded.
func (c *ConsoleInput) SetTermios(t Termios, flush bool) {
	c.mu.Lock()
	c.term = t
	if flush {
		c.flush()
	}
	c.mu.Unlock()
}

// flush discards the buffered input (c.mu held).
func (c *ConsoleInput) flush() {
	if len(c.buf) == 0 {
		return
	}
	full := len(c.buf) >= ConsoleBuffer
	c.buf = c.buf[:0]
	c.madeRoom(full)
}

// madeRoom wakes the pump after buf shrank, if it was full: only then
// does the pump wait for room (c.mu held).
func (c *ConsoleInput) madeRoom(wasFull bool) {
	if wasFull {
		close(c.room)
		c.room = make(chan struct{})
	}
}

// receive adds bytes from the device to the buffer, turning signal
// characters into signals (c.mu held); it returns the signals to send.
func (c *ConsoleInput) receive(b []byte) []int {
	var sigs []int
	for _, ch := range b {
		if sig := c.term.signalFor(ch); sig != 0 {
			sigs = append(sigs, sig)
			if c.term.Lflag&NOFLSH == 0 {
				c.flush() // what was typed before the interrupt is dropped
			}
			continue
		}
		c.buf = append(c.buf, ch)
	}
	return sigs
}

func (c *ConsoleInput) pump() {
	var tmp [256]byte
	for {
		c.mu.Lock()
		for len(c.buf) >= ConsoleBuffer {
			room := c.room
			c.mu.Unlock()
			<-room
			c.mu.Lock()
		}
		want := min(len(tmp), ConsoleBuffer-len(c.buf))
		c.mu.Unlock()
		n, err := c.src.Read(tmp[:want])
		c.mu.Lock()
		sigs := c.receive(tmp[:n])
		if err != nil {
			c.err = err
		}
		if n > 0 || err != nil {
			close(c.ready)
			c.ready = make(chan struct{})
		}
		send := c.Signal
		c.mu.Unlock()
		for _, sig := range sigs {
			if send != nil {
				send(sig)
			}
		}
		if err != nil {
			return
		}
	}
}

// Read waits until input is available and returns up to len(p) bytes of
// it. If cancel is closed first (the reading process died) it returns
// EINTR and has taken nothing.
func (c *ConsoleInput) Read(p []byte, cancel <-chan struct{}) (int, error) {
	c.once.Do(func() { go c.pump() })
	if len(p) == 0 {
		return 0, nil
	}
	for {
		c.mu.Lock()
		if len(c.buf) > 0 {
			full := len(c.buf) >= ConsoleBuffer
			n := copy(p, c.buf)
			c.buf = append(c.buf[:0], c.buf[n:]...)
			c.madeRoom(full)
			c.mu.Unlock()
			return n, nil
		}
		if c.err != nil {
			err := c.err
			c.mu.Unlock()
			return 0, err
		}
		ready := c.ready
		c.mu.Unlock()
		select {
		case <-ready:
		case <-cancel:
			return 0, linux.Errno(linux.EINTR)
		}
	}
}

// Reader returns an io.Reader over c for the kernel's own use (never
// cancelled).
func (c *ConsoleInput) Reader() io.Reader { return consoleReader{c} }

type consoleReader struct{ c *ConsoleInput }

func (r consoleReader) Read(p []byte) (int, error) { return r.c.Read(p, nil) }
