package sched

import "testing"

// checkInvariants verifies the table's internal consistency: every Blocked
// thread is linked exactly once, in its key's bucket, with consistent links;
// no other thread is linked; at most one Running thread and it is current;
// tids of used slots are unique and positive.
func checkInvariants(t *testing.T, tb *Table) {
	t.Helper()
	var seen [MaxThreads]int
	for b := 0; b < NumBuckets; b++ {
		prev := uint8(none)
		n := 0
		for s := tb.head[b]; s != none; s = tb.next[int(s)-1] {
			slot := int(s) - 1
			if n++; n > MaxThreads {
				t.Fatalf("bucket %d: cycle", b)
			}
			seen[slot]++
			if tb.prev[slot] != prev {
				t.Fatalf("bucket %d: slot %d prev %d, want %d", b, slot, tb.prev[slot], prev)
			}
			if tb.state[slot] != Blocked {
				t.Fatalf("bucket %d: slot %d in state %d is queued", b, slot, tb.state[slot])
			}
			if bucket(tb.keyKind[slot], tb.keyVal[slot]) != b || tb.keyKind[slot] == keyNone {
				t.Fatalf("slot %d in the wrong bucket %d", slot, b)
			}
			prev = s
		}
		if tb.tail[b] != prev {
			t.Fatalf("bucket %d: tail %d, want %d", b, tb.tail[b], prev)
		}
	}
	running := 0
	tids := map[int32]bool{}
	for i := 0; i < MaxThreads; i++ {
		st := tb.state[i]
		if st >= numStates {
			t.Fatalf("slot %d: bad state %d", i, st)
		}
		if (st == Blocked) != (seen[i] == 1) || seen[i] > 1 {
			t.Fatalf("slot %d (state %d) queued %d times", i, st, seen[i])
		}
		if st == Running {
			running++
			if tb.Current() != i {
				t.Fatalf("slot %d Running but current is %d", i, tb.Current())
			}
		}
		if st != Free {
			if tb.tid[i] <= 0 || tids[tb.tid[i]] {
				t.Fatalf("slot %d: bad or duplicate tid %d", i, tb.tid[i])
			}
			tids[tb.tid[i]] = true
		}
		if st != Blocked && st != Sleeping && st != Dead && tb.deadline[i] != 0 && st != Free {
			t.Fatalf("slot %d (state %d) has a deadline", i, st)
		}
	}
	if running > 1 {
		t.Fatalf("%d Running threads", running)
	}
	for i := 0; i < MaxThreads; i++ {
		if (tb.runq>>uint(i)&1 == 1) != (tb.state[i] == Runnable) {
			t.Fatalf("slot %d: state %d, runq bit %d", i, tb.state[i], tb.runq>>uint(i)&1)
		}
	}
	if tb.dead != tb.Count(Dead) {
		t.Fatalf("dead count %d, %d slots Dead", tb.dead, tb.Count(Dead))
	}
	for i := 0; i < MaxThreads; i++ {
		if st := tb.state[i]; (st == Blocked || st == Sleeping) && tb.deadline[i] != 0 &&
			(tb.earliest == 0 || tb.earliest > tb.deadline[i]) {
			t.Fatalf("earliest %d, but slot %d waits until %d", tb.earliest, i, tb.deadline[i])
		}
	}
	total := 0
	for s := uint8(0); s < numStates; s++ {
		total += tb.Count(s)
	}
	if total != MaxThreads {
		t.Fatalf("counts sum to %d", total)
	}
}

// model is the reference for wait queues: per key, the FIFO of waiters.
type model struct {
	queues map[[2]uint32][]int // (kind, key) → slots, oldest first
}

func (m *model) remove(slot int) {
	for k, q := range m.queues {
		for i, s := range q {
			if s == slot {
				m.queues[k] = append(q[:i:i], q[i+1:]...)
				return
			}
		}
	}
}

func FuzzTable(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 1, 0, 2, 1, 3, 0, 3, 1, 4, 0, 4, 1})
	f.Add([]byte{0, 0, 0, 1, 0, 2, 2, 0, 2, 1, 2, 2, 3, 2, 3, 2, 5, 9, 6, 0, 7, 1, 8, 0, 9, 0})
	f.Add([]byte{0, 0, 0, 1, 10, 0, 2, 0, 7, 0, 11, 0, 12, 0, 8, 3, 13, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		tb := new(Table)
		m := &model{queues: map[[2]uint32][]int{}}
		now := int64(0)
		// Few keys so that queues get long and share buckets.
		keyOf := func(b byte) uint32 { return uint32(b%4) * 0x1000 }
		for i := 0; i+2 <= len(data); i += 2 {
			op, arg := data[i]%14, data[i+1]
			slot := int(arg) % (MaxThreads + 2) // includes invalid slots
			switch op {
			case 0, 1:
				free := tb.Count(Free)
				s, tid, ok := tb.New()
				if ok != (free > 0) || (ok && (tid <= 0 || tb.State(s) != Runnable || tb.Tid(s) != tid)) {
					t.Fatalf("New: %d %d %v", s, tid, ok)
				}
			case 2, 3:
				kind, key := uint32(keyFutex), keyOf(arg>>6)
				canBlock := tb.State(slot) == Running || tb.State(slot) == Runnable
				var ok bool
				dl := int64(0)
				if arg&0x20 != 0 {
					dl = now + int64(arg&0x1f) + 1
				}
				if op == 3 && arg&0x10 != 0 {
					kind = uint32(keyChan)
					ok = tb.BlockOn(slot, key, dl)
				} else {
					ok = tb.FutexWait(slot, key, dl)
				}
				if ok != (canBlock && slot < MaxThreads) {
					t.Fatalf("wait(%d) = %v", slot, ok)
				}
				if ok {
					k := [2]uint32{kind, key}
					m.queues[k] = append(m.queues[k], slot)
				}
			case 4:
				kind, key := uint32(keyFutex), keyOf(arg)
				if arg&0x80 != 0 {
					kind = uint32(keyChan)
				}
				n := int(arg>>2) % 5
				k := [2]uint32{kind, key}
				q := m.queues[k]
				want := n
				if want > len(q) {
					want = len(q)
				}
				var got int
				if kind == uint32(keyFutex) {
					got = tb.FutexWake(key, n)
				} else {
					got = tb.WakeChan(key, n)
				}
				if got != want {
					t.Fatalf("wake(%v, %d) = %d, want %d", k, n, got, want)
				}
				for _, s := range q[:want] {
					if tb.State(s) != Runnable || tb.WakeReason(s) != WakeWoken {
						t.Fatalf("slot %d not woken in FIFO order", s)
					}
				}
				m.queues[k] = q[want:]
			case 5:
				now += int64(arg % 16)
				want := 0
				for s := 0; s < MaxThreads; s++ {
					st := tb.State(s)
					if (st == Blocked || st == Sleeping) && tb.Deadline(s) != 0 && tb.Deadline(s) <= now {
						want++
						m.remove(s)
					}
				}
				if got := tb.Tick(now); got != want {
					t.Fatalf("Tick woke %d, want %d", got, want)
				}
				if d, ok := tb.NextDeadline(); ok && d <= now {
					t.Fatalf("deadline %d left at %d", d, now)
				}
			case 6:
				canBlock := tb.State(slot) == Running || tb.State(slot) == Runnable
				if tb.Sleep(slot, now+int64(arg%8)) != canBlock {
					t.Fatal("Sleep")
				}
			case 7, 8:
				st := tb.State(slot)
				waiting := st == Blocked || st == Sleeping
				var ok bool
				if op == 7 {
					ok = tb.Wake(slot)
				} else {
					ok = tb.Interrupt(slot)
				}
				if ok != waiting {
					t.Fatalf("Wake(%d) in state %d = %v", slot, st, ok)
				}
				m.remove(slot)
			case 9:
				st := tb.State(slot)
				if tb.Exit(slot) != (st != Free && st != Dead) {
					t.Fatal("Exit")
				}
				m.remove(slot)
			case 10:
				if arg&0x80 != 0 {
					want := 0
					for s := 0; s < MaxThreads; s++ {
						if s != slot && s != tb.Current() && tb.State(s) == Dead {
							want++
						}
					}
					if got := tb.ReapDead(slot); got != want {
						t.Fatalf("ReapDead(%d) = %d, want %d", slot, got, want)
					}
					break
				}
				canReap := tb.State(slot) == Dead && slot != tb.Current()
				if tb.Reap(slot) != canReap {
					t.Fatal("Reap")
				}
			case 11:
				cur := tb.Current()
				s, ok := tb.Yield()
				if ok && (tb.Current() != s || tb.State(s) != Running) {
					t.Fatal("Yield bookkeeping")
				}
				if ok && cur >= 0 && s == cur {
					// Picked the current thread again: no other runnable.
					if tb.Count(Runnable) != 0 {
						t.Fatal("Yield kept the current thread while others are runnable")
					}
				}
				if !ok && (tb.Count(Runnable) != 0 || tb.Current() != -1) {
					t.Fatal("Yield idled with runnable threads")
				}
			case 12:
				canSet := slot == -1 || tb.State(slot) == Runnable || (slot == tb.Current() && tb.State(slot) == Running)
				if arg&0x80 != 0 {
					slot = -1
					canSet = true
				}
				if tb.SetCurrent(slot) != canSet {
					t.Fatal("SetCurrent")
				}
			case 13:
				if tid := tb.Tid(slot); tid != 0 && tb.State(slot) != Dead {
					if s, ok := tb.SlotOfTid(tid); !ok || s != slot {
						t.Fatal("SlotOfTid")
					}
				}
			}
			checkInvariants(t, tb)
			s, ok := tb.PickNext()
			if ws, wok := pickNextScan(tb); s != ws || ok != wok {
				t.Fatalf("PickNext = %d, %v; the scan says %d, %v", s, ok, ws, wok)
			}
			if live := tb.Count(Runnable) + tb.Count(Running) + tb.Count(Blocked) + tb.Count(Sleeping); tb.Live() != live {
				t.Fatalf("Live %d, want %d", tb.Live(), live)
			}
			// The model's queues hold exactly the Blocked threads.
			nq := 0
			for k, q := range m.queues {
				for _, s := range q {
					key, futex, ok := tb.WaitingOn(s)
					if !ok || key != k[1] || futex != (k[0] == uint32(keyFutex)) {
						t.Fatalf("model: slot %d should wait on %v", s, k)
					}
					nq++
				}
			}
			if nq != tb.Count(Blocked) {
				t.Fatalf("model has %d waiters, table %d", nq, tb.Count(Blocked))
			}
		}
	})
}

// pickNextScan is PickNext by a scan of every slot (the definition).
func pickNextScan(t *Table) (int, bool) {
	start := int(t.cur) - 1
	if start < 0 {
		start = int(t.last) - 1
	}
	for i := 1; i <= MaxThreads; i++ {
		s := (start + i) & (MaxThreads - 1)
		st := t.state[s]
		if st == Runnable || (st == Running && s == int(t.cur)-1) {
			return s, true
		}
	}
	return -1, false
}
