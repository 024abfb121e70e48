package sched

// canBlock reports whether slot may start waiting.
//
//go:nosplit
func (t *Table) canBlock(slot int) bool {
	return valid(slot) && (t.state[slot] == Running || t.state[slot] == Runnable)
}

// enqueue appends slot to the tail of its key's bucket.
//
//go:nosplit
func (t *Table) enqueue(slot int, kind uint8, key uint32) {
	b := bucket(kind, key)
	t.keyKind[slot], t.keyVal[slot] = kind, key
	t.next[slot] = none
	t.prev[slot] = t.tail[b]
	if t.tail[b] != none {
		t.next[int(t.tail[b])-1] = uint8(slot + 1)
	} else {
		t.head[b] = uint8(slot + 1)
	}
	t.tail[b] = uint8(slot + 1)
}

// dequeue unlinks slot from its bucket.
//
//go:nosplit
func (t *Table) dequeue(slot int) {
	b := bucket(t.keyKind[slot], t.keyVal[slot])
	n, p := t.next[slot], t.prev[slot]
	if p != none {
		t.next[int(p)-1] = n
	} else {
		t.head[b] = n
	}
	if n != none {
		t.prev[int(n)-1] = p
	} else {
		t.tail[b] = p
	}
	t.next[slot], t.prev[slot] = none, none
	t.keyKind[slot], t.keyVal[slot] = keyNone, 0
}

// block makes slot wait on (kind, key) until a wake or its deadline.
//
//go:nosplit
func (t *Table) block(slot int, kind uint8, key uint32, deadline int64) bool {
	if !t.canBlock(slot) {
		return false
	}
	t.setState(slot, Blocked)
	t.reason[slot] = WakeNone
	t.setDeadline(slot, deadline)
	t.enqueue(slot, kind, key)
	return true
}

// FutexWait blocks the thread in slot on the futex at addr until FutexWake,
// Wake, Interrupt, Exit or its deadline (monotonic ns; 0 = none) passes
// (then Tick wakes it with WakeTimeout). The caller has already compared
// the futex word (EAGAIN) and turned a relative timeout into a deadline. It
// returns false, changing nothing, unless the thread is Running or
// Runnable. The arch layer then switches away (Yield).
//
//go:nosplit
func (t *Table) FutexWait(slot int, addr uint32, deadline int64) bool {
	return t.block(slot, keyFutex, addr, deadline)
}

// BlockOn is FutexWait for a wait channel: chanID names an event source
// (an eventfd, the console, an epoll instance…) in a key space separate
// from futex addresses. Wake it with WakeChan.
//
//go:nosplit
func (t *Table) BlockOn(slot int, chanID uint32, deadline int64) bool {
	return t.block(slot, keyChan, chanID, deadline)
}

// Sleep puts the thread in slot to sleep until deadline (monotonic ns; 0 =
// until Wake or Interrupt), for nanosleep. It returns false unless the
// thread is Running or Runnable.
//
//go:nosplit
func (t *Table) Sleep(slot int, deadline int64) bool {
	if !t.canBlock(slot) {
		return false
	}
	t.setState(slot, Sleeping)
	t.reason[slot] = WakeNone
	t.setDeadline(slot, deadline)
	return true
}

// wake makes a Blocked or Sleeping slot Runnable with reason r.
//
//go:nosplit
func (t *Table) wake(slot int, r uint8) {
	if t.state[slot] == Blocked {
		t.dequeue(slot)
	}
	t.setState(slot, Runnable)
	t.reason[slot] = r
	t.deadline[slot] = 0
}

// wakeKey wakes up to n waiters on (kind, key), oldest first.
//
//go:nosplit
func (t *Table) wakeKey(kind uint8, key uint32, n int) int {
	woken := 0
	s := t.head[bucket(kind, key)]
	for s != none && woken < n {
		slot := int(s) - 1
		s = t.next[slot]
		if t.keyKind[slot] == kind && t.keyVal[slot] == key {
			t.wake(slot, WakeWoken)
			woken++
		}
	}
	return woken
}

// FutexWake wakes up to n threads waiting on the futex at addr, in the
// order they started waiting, with WakeWoken, and returns how many it woke.
// n <= 0 wakes none (Linux would wake one for 0; the Go runtime never
// passes it).
//
//go:nosplit
func (t *Table) FutexWake(addr uint32, n int) int {
	return t.wakeKey(keyFutex, addr, n)
}

// WakeChan wakes up to n threads blocked on wait channel chanID, oldest
// first, and returns how many it woke.
//
//go:nosplit
func (t *Table) WakeChan(chanID uint32, n int) int {
	return t.wakeKey(keyChan, chanID, n)
}

// Wake wakes the thread in slot if it is Blocked or Sleeping (reason
// WakeWoken) and reports whether it did.
//
//go:nosplit
func (t *Table) Wake(slot int) bool {
	if !valid(slot) || (t.state[slot] != Blocked && t.state[slot] != Sleeping) {
		return false
	}
	t.wake(slot, WakeWoken)
	return true
}

// Interrupt is Wake with reason WakeInterrupted, for a signal sent to a
// waiting thread (its system call returns -EINTR).
//
//go:nosplit
func (t *Table) Interrupt(slot int) bool {
	if !valid(slot) || (t.state[slot] != Blocked && t.state[slot] != Sleeping) {
		return false
	}
	t.wake(slot, WakeInterrupted)
	return true
}

// Tick wakes, with WakeTimeout, every Blocked or Sleeping thread whose
// deadline is set and not after now, and returns how many it woke. A
// thread woken by a timeout has left its queue, so a later FutexWake does
// not count it again.
//
//go:nosplit
func (t *Table) Tick(now int64) int {
	if t.earliest == 0 || now < t.earliest {
		return 0
	}
	n := 0
	t.earliest = 0
	for i := 0; i < MaxThreads; i++ {
		s, d := t.state[i], t.deadline[i]
		if (s != Blocked && s != Sleeping) || d == 0 {
			continue
		}
		if d <= now {
			t.wake(i, WakeTimeout)
			n++
		} else if t.earliest == 0 || d < t.earliest {
			t.earliest = d
		}
	}
	return n
}

// setDeadline records a waiting thread's deadline (0: none).
//
//go:nosplit
func (t *Table) setDeadline(slot int, d int64) {
	t.deadline[slot] = d
	if d != 0 && (t.earliest == 0 || d < t.earliest) {
		t.earliest = d
	}
}

// NextDeadline returns the earliest deadline among Blocked and Sleeping
// threads, for programming the timer before idling. ok is false if none
// has a deadline.
//
//go:nosplit
func (t *Table) NextDeadline() (deadline int64, ok bool) {
	for i := 0; i < MaxThreads; i++ {
		s := t.state[i]
		if (s == Blocked || s == Sleeping) && t.deadline[i] != 0 && (!ok || t.deadline[i] < deadline) {
			deadline, ok = t.deadline[i], true
		}
	}
	return deadline, ok
}

// WakeReason tells why the thread in slot last left Blocked or Sleeping
// (WakeNone while it is still waiting or never waited).
//
//go:nosplit
func (t *Table) WakeReason(slot int) uint8 {
	if !valid(slot) {
		return WakeNone
	}
	return t.reason[slot]
}

// Deadline returns the deadline of a waiting thread (0 = none).
//
//go:nosplit
func (t *Table) Deadline(slot int) int64 {
	if !valid(slot) {
		return 0
	}
	return t.deadline[slot]
}

// WaitingOn reports what a Blocked thread waits on: futex is true for a
// futex address, false for a wait channel; ok is false if it is not
// Blocked.
//
//go:nosplit
func (t *Table) WaitingOn(slot int) (key uint32, futex bool, ok bool) {
	if !valid(slot) || t.state[slot] != Blocked {
		return 0, false, false
	}
	return t.keyVal[slot], t.keyKind[slot] == keyFutex, true
}
