package proc

import (
	"io"
	"io/fs"
	"sync"
	"time"

	"gojos/kern/abi/linux"
)

// pipe is a unidirectional byte stream between two open files. Waiting
// readers and writers watch a channel, so a wait can be cancelled when the
// waiting process dies (ReadCancel, WriteCancel).
type pipe struct {
	mu      sync.Mutex
	changed chan struct{} // closed and replaced at every change
	buf     []byte
	readers int
	writers int
}

type pipeEnd struct {
	p     *pipe
	write bool
}

// PipeCap is how many bytes a pipe holds before writers wait.
const PipeCap = 64 << 10

func newPipe() (r, w *pipeEnd) {
	p := &pipe{readers: 1, writers: 1, changed: make(chan struct{})}
	return &pipeEnd{p, false}, &pipeEnd{p, true}
}

// notify wakes every waiter (p.mu held).
func (p *pipe) notify() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// wait releases p.mu until the pipe changes or cancel is closed; false
// (with p.mu released) on cancel.
func (p *pipe) wait(cancel <-chan struct{}) bool {
	ch := p.changed
	p.mu.Unlock()
	select {
	case <-ch:
		p.mu.Lock()
		return true
	case <-cancel:
		return false
	}
}

func (e *pipeEnd) Read(b []byte) (int, error) { return e.ReadCancel(b, nil) }

// ReadCancel reads like Read; it gives up with EINTR if cancel is closed
// while it waits.
func (e *pipeEnd) ReadCancel(b []byte, cancel <-chan struct{}) (int, error) {
	if e.write {
		return 0, linux.Errno(linux.EBADF)
	}
	if len(b) == 0 {
		return 0, nil
	}
	p := e.p
	p.mu.Lock()
	for len(p.buf) == 0 && p.writers > 0 {
		if !p.wait(cancel) {
			return 0, linux.Errno(linux.EINTR)
		}
	}
	defer p.mu.Unlock()
	if len(p.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(b, p.buf)
	p.buf = append(p.buf[:0], p.buf[n:]...)
	p.notify()
	return n, nil
}

func (e *pipeEnd) Write(b []byte) (int, error) { return e.WriteCancel(b, nil) }

// WriteCancel writes like Write; if cancel is closed while it waits for
// room it returns what it wrote so far, or EINTR.
func (e *pipeEnd) WriteCancel(b []byte, cancel <-chan struct{}) (int, error) {
	if !e.write {
		return 0, linux.Errno(linux.EBADF)
	}
	p := e.p
	p.mu.Lock()
	n := 0
	for n < len(b) {
		if p.readers == 0 {
			p.mu.Unlock()
			return n, linux.Errno(linux.EPIPE)
		}
		if len(p.buf) >= PipeCap {
			if !p.wait(cancel) {
				if n > 0 {
					return n, nil
				}
				return 0, linux.Errno(linux.EINTR)
			}
			continue
		}
		k := min(len(b)-n, PipeCap-len(p.buf))
		p.buf = append(p.buf, b[n:n+k]...)
		n += k
		p.notify()
	}
	p.mu.Unlock()
	return n, nil
}

func (e *pipeEnd) Close() error {
	p := e.p
	p.mu.Lock()
	if e.write {
		p.writers--
	} else {
		p.readers--
	}
	p.notify()
	p.mu.Unlock()
	return nil
}

func (e *pipeEnd) Stat() (fs.FileInfo, error) {
	return fakeInfo{"pipe", 0, fs.ModeNamedPipe | 0o600}, nil
}

// fakeInfo describes device and synthetic files.
type fakeInfo struct {
	name string
	size int64
	mode fs.FileMode
}

func (i fakeInfo) Name() string       { return i.name }
func (i fakeInfo) Size() int64        { return i.size }
func (i fakeInfo) Mode() fs.FileMode  { return i.mode }
func (i fakeInfo) ModTime() time.Time { return time.Unix(0, 0) }
func (i fakeInfo) IsDir() bool        { return i.mode.IsDir() }
func (i fakeInfo) Sys() any           { return nil }
