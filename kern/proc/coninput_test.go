package proc

import (
	"errors"
	"io"
	"testing"
	"time"

	"gojos/kern/abi/linux"
)

// chanReader is a console device: each Read returns one chunk sent on c.
type chanReader struct {
	c     chan string
	reads chan struct{} // one value per Read call started
}

func newChanReader() *chanReader {
	return &chanReader{c: make(chan string), reads: make(chan struct{}, 100)}
}

func (r *chanReader) Read(p []byte) (int, error) {
	r.reads <- struct{}{}
	s, ok := <-r.c
	if !ok {
		return 0, io.EOF
	}
	return copy(p, s), nil
}

type readResult struct {
	s   string
	err error
}

func readAsync(c *ConsoleInput, n int, cancel <-chan struct{}) chan readResult {
	res := make(chan readResult, 1)
	go func() {
		b := make([]byte, n)
		k, err := c.Read(b, cancel)
		res <- readResult{string(b[:k]), err}
	}()
	return res
}

// Finding 4: a process that dies while reading the console must not take
// the next line typed; the next reader (the shell) gets it.
func TestConsoleAbandonedReadTakesNothing(t *testing.T) {
	dev := newChanReader()
	c := NewConsoleInput(dev)
	dead := make(chan struct{})
	first := readAsync(c, 64, dead)
	<-dev.reads // the pump is waiting on the device
	close(dead) // the reading process dies
	if r := <-first; !errors.Is(r.err, linux.Errno(linux.EINTR)) || r.s != "" {
		t.Fatalf("abandoned read = %q, %v; want EINTR and nothing", r.s, r.err)
	}
	dev.c <- "echo after\n"
	shell := readAsync(c, 64, nil)
	select {
	case r := <-shell:
		if r.s != "echo after\n" || r.err != nil {
			t.Fatalf("next reader got %q, %v", r.s, r.err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("next reader got nothing: the line was lost")
	}
}

func TestConsoleReadsInOrderAndPartially(t *testing.T) {
	dev := newChanReader()
	c := NewConsoleInput(dev)
	res := readAsync(c, 3, nil)
	dev.c <- "abcdef"
	if r := <-res; r.s != "abc" || r.err != nil {
		t.Fatalf("read = %q, %v", r.s, r.err)
	}
	// The rest waits in the buffer for the next reader: one byte at a
	// time, as the shell's line reader asks.
	for _, want := range []string{"d", "e", "f"} {
		if r := <-readAsync(c, 1, nil); r.s != want || r.err != nil {
			t.Fatalf("read = %q, %v; want %q", r.s, r.err, want)
		}
	}
	if n, err := c.Read(nil, nil); n != 0 || err != nil {
		t.Fatalf("empty read = %d, %v", n, err)
	}
	close(dev.c)
	if r := <-readAsync(c, 8, nil); r.err != io.EOF {
		t.Fatalf("read after the device ended = %q, %v; want EOF", r.s, r.err)
	}
}

func TestConsoleBufferBounded(t *testing.T) {
	dev := newChanReader()
	c := NewConsoleInput(dev)
	go c.Read(make([]byte, 1), nil) // start the pump, take one byte
	chunk := string(make([]byte, 256))
	sent := 0
	for sent < ConsoleBuffer+1 {
		select {
		case <-dev.reads:
		case <-time.After(10 * time.Second):
			// The one-byte read took its byte from a full buffer,
			// and that did not wake the pump.
			t.Fatal("the pump stopped reading before its buffer held more than it can")
		}
		dev.c <- chunk
		sent += len(chunk)
		if sent > 4*ConsoleBuffer {
			t.Fatal("the pump keeps reading a full buffer")
		}
	}
	// The pump must now wait for room instead of reading more.
	select {
	case <-dev.reads:
		c.mu.Lock()
		n := len(c.buf)
		c.mu.Unlock()
		if n >= ConsoleBuffer {
			t.Fatalf("pump reads with %d bytes buffered", n)
		}
	case <-time.After(100 * time.Millisecond):
	}
	c.mu.Lock()
	n := len(c.buf)
	c.mu.Unlock()
	if n > ConsoleBuffer {
		t.Fatalf("buffer holds %d bytes, more than %d", n, ConsoleBuffer)
	}
	// A read that makes room wakes the pump, which reads the device again.
	for len(dev.reads) > 0 {
		<-dev.reads
	}
	if _, err := c.Read(make([]byte, 512), nil); err != nil {
		t.Fatal(err)
	}
	select {
	case <-dev.reads:
	case <-time.After(10 * time.Second):
		t.Fatal("the pump did not read again once a read made room")
	}
}
