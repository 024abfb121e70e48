package proc

import (
	"io"
	"sync"
	"syscall"
)

// ConsoleInput is the kernel's only reader of the console. One goroutine
// (the pump) reads the device and keeps what arrives in a small buffer;
// processes take bytes from the buffer. A process's read waits on a
// channel, not on the device, so when the process dies its read is simply
// abandoned: it never takes input that arrives afterwards (which would be
// lost with the dead process), and the next reader gets it instead.
type ConsoleInput struct {
	src  io.Reader
	once sync.Once

	mu    sync.Mutex
	buf   []byte        // received and not yet read, at most ConsoleBuffer bytes
	err   error         // the device's error, reported once buf is empty
	ready chan struct{} // closed and replaced whenever buf or err changes
	room  chan struct{} // closed and replaced whenever buf shrinks
}

// ConsoleBuffer is how many typed-ahead bytes the kernel keeps; beyond it
// the pump stops reading and the device's own buffer fills.
const ConsoleBuffer = 4096

// NewConsoleInput returns a ConsoleInput reading src. The pump starts with
// the first Read.
func NewConsoleInput(src io.Reader) *ConsoleInput {
	return &ConsoleInput{src: src, ready: make(chan struct{}), room: make(chan struct{})}
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
		c.buf = append(c.buf, tmp[:n]...)
		if err != nil {
			c.err = err
		}
		if n > 0 || err != nil {
			close(c.ready)
			c.ready = make(chan struct{})
		}
		c.mu.Unlock()
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
			n := copy(p, c.buf)
			c.buf = append(c.buf[:0], c.buf[n:]...)
			close(c.room)
			c.room = make(chan struct{})
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
			return 0, syscall.EINTR
		}
	}
}

// Reader returns an io.Reader over c for the kernel's own use (never
// cancelled).
func (c *ConsoleInput) Reader() io.Reader { return consoleReader{c} }

type consoleReader struct{ c *ConsoleInput }

func (r consoleReader) Read(p []byte) (int, error) { return r.c.Read(p, nil) }
