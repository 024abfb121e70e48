package proc

import (
	"encoding/binary"
	"io/fs"
	"sync"
	"time"

	"gojos/kern/abi/linux"
)

// eventfd and epoll for user programs' netpollers. Readiness is tracked
// for eventfds (the runtime's only registered descriptors in gojos
// programs); other descriptors are reported writable.

type eventfd struct {
	mu      sync.Mutex
	counter uint64
	changed chan struct{} // closed and replaced on every write
}

func newEventfd(v uint64) *eventfd { return &eventfd{counter: v, changed: make(chan struct{})} }

func (e *eventfd) Read(p []byte) (int, error) {
	if len(p) < 8 {
		return 0, linux.Errno(linux.EINVAL)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.counter == 0 {
		return 0, linux.Errno(linux.EAGAIN)
	}
	binary.LittleEndian.PutUint64(p, e.counter)
	e.counter = 0
	return 8, nil
}

func (e *eventfd) Write(p []byte) (int, error) {
	if len(p) < 8 {
		return 0, linux.Errno(linux.EINVAL)
	}
	e.mu.Lock()
	e.counter += binary.LittleEndian.Uint64(p)
	close(e.changed)
	e.changed = make(chan struct{})
	e.mu.Unlock()
	return 8, nil
}

func (e *eventfd) Close() error { return nil }
func (e *eventfd) Stat() (fs.FileInfo, error) {
	return fakeInfo{"eventfd", 0, 0o600}, nil
}

type epollReg struct {
	fd     int
	events uint32
	data   uint64
}

type epoll struct {
	mu   sync.Mutex
	regs []epollReg
}

func (e *epoll) Read([]byte) (int, error)  { return 0, linux.Errno(linux.EINVAL) }
func (e *epoll) Write([]byte) (int, error) { return 0, linux.Errno(linux.EINVAL) }
func (e *epoll) Close() error              { return nil }
func (e *epoll) Stat() (fs.FileInfo, error) {
	return fakeInfo{"epoll", 0, 0o600}, nil
}

func (t *Thread) sysEventfd(initval, flags uint32) int32 {
	fd, err := t.P.files.Install(newEventfd(uint64(initval)), linux.O_RDWR|flags&linux.O_NONBLOCK, flags&linux.O_CLOEXEC != 0, 0)
	return errnoOr(err, int32(fd))
}

func (t *Thread) sysEpollCreate() int32 {
	fd, err := t.P.files.Install(&epoll{}, linux.O_RDWR, true, 0)
	return errnoOr(err, int32(fd))
}

func (t *Thread) epollOf(fd int) (*epoll, error) {
	of, err := t.P.files.Get(fd)
	if err != nil {
		return nil, err
	}
	ep, ok := of.f.(*epoll)
	if !ok {
		return nil, linux.Errno(linux.EINVAL)
	}
	return ep, nil
}

func (t *Thread) sysEpollCtl(epfd, op, fd int, ev uint32) int32 {
	ep, err := t.epollOf(epfd)
	if err != nil {
		return errno(err)
	}
	of, err := t.P.files.Get(fd)
	if err != nil {
		return errno(err)
	}
	if _, ok := of.f.(*eventfd); !ok && op == linux.EPOLL_CTL_ADD {
		// Only eventfds are pollable; like Linux for regular files, say
		// EPERM, and the Go runtime keeps the descriptor in blocking mode.
		return -linux.EPERM
	}
	var b [12]byte
	if op != linux.EPOLL_CTL_DEL {
		if err := t.P.as.CopyIn(ev, b[:]); err != nil {
			return errno(err)
		}
	}
	r := epollReg{fd, le(b[:]), binary.LittleEndian.Uint64(b[4:])}
	ep.mu.Lock()
	defer ep.mu.Unlock()
	for i, x := range ep.regs {
		if x.fd == fd {
			switch op {
			case linux.EPOLL_CTL_ADD:
				return -linux.EEXIST
			case linux.EPOLL_CTL_MOD:
				ep.regs[i] = r
			case linux.EPOLL_CTL_DEL:
				ep.regs = append(ep.regs[:i], ep.regs[i+1:]...)
			}
			return 0
		}
	}
	if op != linux.EPOLL_CTL_ADD {
		return -linux.ENOENT
	}
	ep.regs = append(ep.regs, r)
	return 0
}

// ready collects ready events and the channels to wait on for changes.
func (t *Thread) ready(ep *epoll, max int) (out []byte, waits []chan struct{}) {
	ep.mu.Lock()
	regs := append([]epollReg(nil), ep.regs...)
	ep.mu.Unlock()
	n := 0
	for _, r := range regs {
		of, err := t.P.files.Get(r.fd)
		if err != nil {
			continue
		}
		var evs uint32
		if e, ok := of.f.(*eventfd); ok {
			e.mu.Lock()
			if e.counter > 0 {
				evs |= linux.EPOLLIN
			}
			waits = append(waits, e.changed)
			e.mu.Unlock()
			evs |= linux.EPOLLOUT
		} else {
			evs |= linux.EPOLLOUT
		}
		evs &= r.events
		if evs != 0 && n < max {
			var b [12]byte
			binary.LittleEndian.PutUint32(b[:], evs)
			binary.LittleEndian.PutUint64(b[4:], r.data)
			out = append(out, b[:]...)
			n++
		}
	}
	return out, waits
}

func (t *Thread) sysEpollWait(epfd int, events uint32, max, timeoutMS int32) int32 {
	ep, err := t.epollOf(epfd)
	if err != nil {
		return errno(err)
	}
	if max <= 0 {
		return -linux.EINVAL
	}
	var deadline <-chan time.Time
	if timeoutMS >= 0 {
		tm := time.NewTimer(time.Duration(timeoutMS) * time.Millisecond)
		defer tm.Stop()
		deadline = tm.C
	}
	for {
		cancel := t.waitCh()
		out, waits := t.ready(ep, int(max))
		if len(out) > 0 {
			return errnoOr(t.P.as.CopyOut(events, out), int32(len(out)/12))
		}
		if timeoutMS == 0 {
			return 0
		}
		any := make(chan struct{})
		stop := make(chan struct{})
		for _, w := range waits {
			go func(w chan struct{}) {
				select {
				case <-w:
					select {
					case any <- struct{}{}:
					case <-stop:
					}
				case <-stop:
				}
			}(w)
		}
		select {
		case <-any:
			close(stop)
		case <-deadline:
			close(stop)
			return 0
		case <-cancel:
			close(stop)
			return -linux.EINTR
		}
	}
}
