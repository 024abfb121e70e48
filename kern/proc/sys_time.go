package proc

import (
	"sync"
	"time"

	"gojos/kern/abi/linux"
)

// futexTable is a process's futex wait queues, keyed by user address.
type futexTable struct {
	mu      sync.Mutex
	waiters map[uint32][]chan struct{}
}

func (f *futexTable) init() { f.waiters = map[uint32][]chan struct{}{} }

func (f *futexTable) wake(addr uint32, n int) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	q := f.waiters[addr]
	k := 0
	for k < n && k < len(q) {
		close(q[k])
		k++
	}
	if k == len(q) {
		delete(f.waiters, addr)
	} else {
		f.waiters[addr] = q[k:]
	}
	return k
}

func (f *futexTable) wakeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for a, q := range f.waiters {
		for _, c := range q {
			close(c)
		}
		delete(f.waiters, a)
	}
}

func (f *futexTable) cancel(addr uint32, c chan struct{}) {
	f.mu.Lock()
	defer f.mu.Unlock()
	q := f.waiters[addr]
	for i, w := range q {
		if w == c {
			f.waiters[addr] = append(q[:i:i], q[i+1:]...)
			return
		}
	}
}

// readTimeout reads a relative timespec (32- or 64-bit fields).
func (t *Thread) readTimeout(addr uint32, wide bool) (time.Duration, error) {
	b := make([]byte, linux.TimespecLen(wide))
	if err := t.P.as.CopyIn(addr, b); err != nil {
		return 0, err
	}
	ns, ok := linux.DecodeTimespec(b, wide)
	if !ok {
		return 0, linux.Errno(linux.EINVAL)
	}
	return time.Duration(ns), nil
}

func (t *Thread) sysFutex(a *args, wide bool) int32 {
	addr, op, val, ts := a[0], a[1], a[2], a[3]
	p := t.P
	switch op &^ (linux.FUTEX_PRIVATE_FLAG | linux.FUTEX_CLOCK_REALTIME) {
	case linux.FUTEX_WAIT:
		var timeout time.Duration = -1
		if ts != 0 {
			d, err := t.readTimeout(ts, wide)
			if err != nil {
				return errno(err)
			}
			timeout = d
		}
		c := make(chan struct{})
		p.futex.mu.Lock()
		var b [4]byte
		if err := p.as.CopyIn(addr, b[:]); err != nil {
			p.futex.mu.Unlock()
			return errno(err)
		}
		if le(b[:]) != val {
			p.futex.mu.Unlock()
			return -linux.EAGAIN
		}
		p.futex.waiters[addr] = append(p.futex.waiters[addr], c)
		p.futex.mu.Unlock()
		cancel := t.waitCh()
		var tc <-chan time.Time
		if timeout >= 0 {
			tm := time.NewTimer(timeout)
			defer tm.Stop()
			tc = tm.C
		}
		select {
		case <-c:
			return 0
		case <-tc:
			p.futex.cancel(addr, c)
			return -linux.ETIMEDOUT
		case <-cancel:
			p.futex.cancel(addr, c)
			select {
			case <-c:
				return 0 // woken meanwhile
			default:
			}
			return -linux.EINTR
		}
	case linux.FUTEX_WAKE:
		return int32(p.futex.wake(addr, int(int32(val))))
	}
	return -linux.ENOSYS
}

func (t *Thread) sysNanosleep(nr uint32, a *args) int32 {
	req, wide := a[0], false
	switch nr {
	case linux.SYS_clock_nanosleep:
		if a[1] != 0 {
			return -linux.EINVAL // TIMER_ABSTIME: not supported
		}
		req = a[2]
	case linux.SYS_clock_nanosleep64:
		if a[1] != 0 {
			return -linux.EINVAL
		}
		req, wide = a[2], true
	}
	d, err := t.readTimeout(req, wide)
	if err != nil {
		return errno(err)
	}
	if d > 0 && d < minSleep {
		d = minSleep
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
	case <-t.waitCh():
		return -linux.EINTR
	}
	return 0
}

// minSleep is the shortest a nanosleep sleeps (a timer slack, as Linux
// applies one): a Go program's sysmon polls with 20 µs sleeps while its
// main thread blocks in a system call, and on one emulated CPU each poll
// (a sleep and two clock reads) took CPU from the very process it waited
// for.
const minSleep = time.Millisecond

var bootTime = time.Now()

func (t *Thread) sysClockGettime(clk int32, addr uint32, wide bool) int32 {
	real, ok := linux.ClockRealtime(clk)
	if !ok {
		return -linux.EINVAL
	}
	ns := int64(time.Since(bootTime))
	if deps.Monotonic != nil {
		ns = deps.Monotonic()
	}
	if real {
		ns = time.Now().UnixNano()
	}
	b := make([]byte, linux.TimespecLen(wide))
	linux.EncodeTimespec(b, ns, wide)
	return errnoOr(t.P.as.CopyOut(addr, b), 0)
}

func (t *Thread) sysGettimeofday(addr uint32) int32 {
	if addr == 0 {
		return 0
	}
	now := time.Now()
	return errnoOr(t.P.as.CopyOut(addr, append(le32(uint32(now.Unix())), le32(uint32(now.Nanosecond()/1000))...)), 0)
}
