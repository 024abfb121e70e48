// Package sched is the scheduler's bookkeeping for kernel threads (the Go
// runtime's Ms): thread slots and tids, round-robin choice of the next
// thread, futex wait queues, generic wait channels and sleep deadlines. It
// holds no registers: the arch layer keeps each thread's register frame in
// its own array indexed by the same slot number, performs the switches and
// tells this package what happened.
//
// # Trap-tier rules
//
// Everything in this package runs inside the kernel's trap handler: ring 0,
// interrupts off, on a small per-thread trap stack, in the middle of a system
// call made by the Go runtime. The runtime is not in a state where it may be
// re-entered, so code here must obey these rules (keep them when you change
// anything):
//
//   - Never allocate: no make/new, no append growth, no maps, no escaping
//     closures, no interfaces holding non-pointer values, no fmt, no string
//     concatenation, no errors created at run time. Results are booleans and
//     small integers.
//   - Never store Go pointers into global or heap memory (a write barrier
//     needs a runtime M). Threads are linked by integer slot index.
//   - Never panic in normal operation: validate every slot number and return
//     false instead. No defer, no channels, no locks (one CPU, interrupts
//     off).
//   - All state lives in fixed-size arrays inside Table, which the kernel
//     declares as a package-level variable.
//   - Every function is //go:nosplit: the trap stack is not the goroutine
//     stack the runtime's stack-bound check compares against, so a split
//     check there could call morestack. The linker verifies that nosplit
//     call chains fit the nosplit stack limit; keep helpers small.
//
// The tests check the first rule with testing.AllocsPerRun; check escapes
// with `go build -gcflags=-m ./kern/sched/`.
//
// # Life of a thread
//
//	New ──► Runnable ◄──────────────── Wake / FutexWake / WakeChan / Tick / Interrupt
//	           │  ▲                                        ▲
//	SetCurrent │  │ SetCurrent(other) / Yield              │
//	           ▼  │                                        │
//	        Running ──► FutexWait / BlockOn ──► Blocked ───┤
//	           │    ──► Sleep ─────────────────► Sleeping ─┘
//	           └─► Exit ──► Dead ──► Reap (after the switch away) ──► Free
//
// Any live state may Exit (a blocked thread leaves its wait queue). A woken
// thread carries a wake reason (WakeReason) until it blocks again, so the
// system call it was in can return 0, -ETIMEDOUT or -EINTR.
//
// # Wait queues
//
// A blocked thread waits on a key: a futex address (FutexWait/FutexWake) or
// a wait-channel id (BlockOn/WakeChan) in a separate key space. Keys hash to
// one of NumBuckets buckets; each bucket is a FIFO doubly linked list
// threaded through the slots, so a thread is in at most one queue and wakes
// on one key are FIFO. Timeouts are a deadline per thread (monotonic ns, 0 =
// none); Tick and NextDeadline scan the 64 slots, which is cheaper than a
// timer heap at this size.
package sched

import "math/bits"

// MaxThreads is the number of thread slots. A slot number (0..MaxThreads-1)
// is a thread's handle here and in the arch layer.
const MaxThreads = 64

// NumBuckets is the number of wait-queue hash buckets.
const NumBuckets = 64

// Thread states.
const (
	Free     uint8 = iota // slot unused
	Runnable              // ready to run, not running
	Running               // the current thread
	Blocked               // waiting on a futex address or wait channel, maybe with a deadline
	Sleeping              // waiting for its deadline (nanosleep) or Wake
	Dead                  // exited; the slot is reusable after Reap
	numStates
)

// Wake reasons, reported by WakeReason after a thread left Blocked or
// Sleeping.
const (
	WakeNone        uint8 = iota // not woken (yet) since it last blocked
	WakeWoken                    // FutexWake, WakeChan or Wake: return 0
	WakeTimeout                  // deadline passed (Tick): return -ETIMEDOUT (nanosleep: 0)
	WakeInterrupted              // Interrupt (a signal): return -EINTR
)

// Wait key kinds.
const (
	keyNone uint8 = iota
	keyFutex
	keyChan
)

const none = 0 // "no slot" in the 1-based link fields

// Table is the thread table. Links and the current slot are stored as
// slot+1 (0 = none), so the zero value is an empty, ready-to-use table; the
// first tid handed out is 1. Declare it as a package-level variable.
type Table struct {
	state    [MaxThreads]uint8
	reason   [MaxThreads]uint8
	keyKind  [MaxThreads]uint8
	next     [MaxThreads]uint8 // wait-queue links, slot+1
	prev     [MaxThreads]uint8
	keyVal   [MaxThreads]uint32
	tid      [MaxThreads]int32
	deadline [MaxThreads]int64
	head     [NumBuckets]uint8 // slot+1 of the oldest waiter
	tail     [NumBuckets]uint8 // slot+1 of the newest waiter
	cur      uint8             // slot+1 of the current thread
	last     uint8             // slot+1 of the thread that ran last (round-robin position)
	lastTid  int32
	// dead counts the Dead slots, so that ReapDead costs nothing when
	// there are none (it runs at every switch).
	dead int
	// earliest is at most every waiting thread's deadline (0: no thread
	// has one), so that Tick scans only when one may have passed. Wakes
	// leave it low; the next scan recomputes it.
	earliest int64
	// runq has bit i set exactly when slot i is Runnable, so that
	// PickNext finds the next one with bit operations instead of a scan
	// of every slot.
	runq uint64
}

// setState puts slot in state st, keeping runq in step.
//
//go:nosplit
func (t *Table) setState(slot int, st uint8) {
	t.state[slot] = st
	if st == Runnable {
		t.runq |= 1 << uint(slot)
	} else {
		t.runq &^= 1 << uint(slot)
	}
}

//go:nosplit
func valid(slot int) bool { return slot >= 0 && slot < MaxThreads }

//go:nosplit
func bucket(kind uint8, key uint32) int {
	return int(((key ^ uint32(kind)<<30) * 0x9E3779B1) >> 26) // top 6 bits
}

// New takes the lowest free slot for a new thread, in state Runnable, with
// a fresh tid: tids increase and are never shared with a live or dead
// (unreaped) thread. ok is false if all slots are in use.
//
//go:nosplit
func (t *Table) New() (slot int, tid int32, ok bool) {
	slot = -1
	for i := 0; i < MaxThreads; i++ {
		if t.state[i] == Free {
			slot = i
			break
		}
	}
	if slot < 0 {
		return -1, 0, false
	}
	for {
		t.lastTid++
		if t.lastTid <= 0 { // wrapped after 2^31 threads
			t.lastTid = 1
		}
		if _, used := t.slotOfTid(t.lastTid, true); !used {
			break
		}
	}
	t.setState(slot, Runnable)
	t.reason[slot] = WakeNone
	t.keyKind[slot] = keyNone
	t.keyVal[slot] = 0
	t.deadline[slot] = 0
	t.next[slot], t.prev[slot] = none, none
	t.tid[slot] = t.lastTid
	return slot, t.lastTid, true
}

// State returns the state of slot (Free for an invalid slot).
//
//go:nosplit
func (t *Table) State(slot int) uint8 {
	if !valid(slot) {
		return Free
	}
	return t.state[slot]
}

// Tid returns the tid of the thread in slot (0 if the slot is free or
// invalid).
//
//go:nosplit
func (t *Table) Tid(slot int) int32 {
	if !valid(slot) || t.state[slot] == Free {
		return 0
	}
	return t.tid[slot]
}

// slotOfTid finds tid among live threads, or also dead ones.
//
//go:nosplit
func (t *Table) slotOfTid(tid int32, dead bool) (int, bool) {
	for i := 0; i < MaxThreads; i++ {
		s := t.state[i]
		if t.tid[i] == tid && s != Free && (dead || s != Dead) {
			return i, true
		}
	}
	return -1, false
}

// SlotOfTid returns the slot of the live (not Dead) thread with tid.
//
//go:nosplit
func (t *Table) SlotOfTid(tid int32) (slot int, ok bool) {
	if tid <= 0 {
		return -1, false
	}
	return t.slotOfTid(tid, false)
}

// Count returns the number of slots in state s.
//
//go:nosplit
func (t *Table) Count(s uint8) int {
	n := 0
	for i := 0; i < MaxThreads; i++ {
		if t.state[i] == s {
			n++
		}
	}
	return n
}

// Live returns the number of live threads (neither Free nor Dead).
//
//go:nosplit
func (t *Table) Live() int {
	n := 0
	for i := 0; i < MaxThreads; i++ {
		if s := t.state[i]; s != Free && s != Dead {
			n++
		}
	}
	return n
}

// IsRunning reports whether slot is in state Running (false for -1 and
// invalid slots).
//
//go:nosplit
func (t *Table) IsRunning(slot int) bool {
	return valid(slot) && t.state[slot] == Running
}

// Current returns the slot of the current thread, or -1 when idle. The
// current thread is normally Running, but it stays current while it blocks,
// sleeps or exits until the arch layer switches away (SetCurrent/Yield).
//
//go:nosplit
func (t *Table) Current() int { return int(t.cur) - 1 }

// SetCurrent records a switch to slot, which must be Runnable (or already
// current and Running); it becomes Running and the previous current thread,
// if still Running, becomes Runnable. slot -1 means idle. It returns false,
// changing nothing, for any other slot.
//
//go:nosplit
func (t *Table) SetCurrent(slot int) bool {
	old := t.Current()
	if slot != -1 {
		if !valid(slot) {
			return false
		}
		if s := t.state[slot]; s != Runnable && !(slot == old && s == Running) {
			return false
		}
	}
	if old >= 0 && old != slot && t.state[old] == Running {
		t.setState(old, Runnable)
	}
	if slot == -1 {
		t.cur = none
		return true
	}
	t.setState(slot, Running)
	t.cur = uint8(slot + 1)
	t.last = t.cur
	return true
}

// PickNext chooses the thread to run next, round robin: the first Runnable
// slot after the current one (or after the one that ran last, when idle) in
// slot order, wrapping around; the current thread itself comes last if it
// is still Running or Runnable. ok is false if nothing can run (idle).
//
//go:nosplit
func (t *Table) PickNext() (slot int, ok bool) {
	start := int(t.cur) - 1
	if start < 0 {
		start = int(t.last) - 1 // -1 if nothing ran yet: start at slot 0
	}
	ready := t.runq
	if cur := int(t.cur) - 1; cur >= 0 && t.state[cur] == Running {
		ready |= 1 << uint(cur)
	}
	if ready == 0 {
		return -1, false
	}
	// The first ready slot after start, wrapping around: rotate start+1
	// to bit 0.
	first := (start + 1) & (MaxThreads - 1)
	k := bits.TrailingZeros64(bits.RotateLeft64(ready, -first))
	return (first + k) & (MaxThreads - 1), true
}

// Yield is PickNext followed by SetCurrent: it records the switch to the
// next thread (the current one again if no other is runnable) and returns
// it. ok is false when nothing can run; the table is then idle (Current
// returns -1). Call it for sched_yield, on a preemption tick, and after the
// current thread blocked, slept or exited.
//
//go:nosplit
func (t *Table) Yield() (slot int, ok bool) {
	slot, ok = t.PickNext()
	if !ok {
		t.SetCurrent(-1)
		return -1, false
	}
	t.SetCurrent(slot)
	return slot, true
}

// Exit marks the thread in slot Dead (leaving any wait queue). The slot
// keeps its tid and cannot be reused until Reap. It returns false if the
// slot is free, already dead or invalid.
//
//go:nosplit
func (t *Table) Exit(slot int) bool {
	if !valid(slot) {
		return false
	}
	switch t.state[slot] {
	case Free, Dead:
		return false
	case Blocked:
		t.dequeue(slot)
	}
	t.setState(slot, Dead)
	t.deadline[slot] = 0
	t.dead++
	return true
}

// Reap frees the slot of a Dead thread once the arch layer has switched
// away from it for good (its stacks are no longer in use). It returns false
// if the thread is not Dead or is still current.
//
//go:nosplit
func (t *Table) Reap(slot int) bool {
	if !valid(slot) || t.state[slot] != Dead || slot == t.Current() {
		return false
	}
	t.setState(slot, Free)
	t.dead--
	t.tid[slot] = 0
	t.reason[slot] = WakeNone
	return true
}

// ReapDead reaps every Dead slot except keep and the current one (whose
// stacks may still be in use) and returns how many it freed.
//
//go:nosplit
func (t *Table) ReapDead(keep int) int {
	if t.dead == 0 {
		return 0
	}
	n := 0
	for i := 0; i < MaxThreads; i++ {
		if i != keep && t.Reap(i) {
			n++
		}
	}
	return n
}
