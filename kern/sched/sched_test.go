package sched

import "testing"

func mustNew(t *testing.T, tb *Table) int {
	t.Helper()
	s, _, ok := tb.New()
	if !ok {
		t.Fatal("New failed")
	}
	return s
}

func TestNewTidsAndReap(t *testing.T) {
	tb := new(Table)
	seen := map[int32]bool{}
	for i := 0; i < MaxThreads; i++ {
		s, tid, ok := tb.New()
		if !ok || s != i || tid <= 0 || seen[tid] || tb.State(s) != Runnable || tb.Tid(s) != tid {
			t.Fatalf("New #%d: slot %d tid %d ok %v", i, s, tid, ok)
		}
		seen[tid] = true
		if got, ok := tb.SlotOfTid(tid); !ok || got != s {
			t.Fatalf("SlotOfTid(%d) = %d %v", tid, got, ok)
		}
	}
	if _, _, ok := tb.New(); ok {
		t.Fatal("New beyond MaxThreads")
	}
	tb.SetCurrent(5)
	if !tb.Exit(5) || tb.State(5) != Dead || tb.Exit(5) {
		t.Fatal("Exit")
	}
	if _, ok := tb.SlotOfTid(tb.tid[5]); ok {
		t.Fatal("dead thread found by tid")
	}
	if _, _, ok := tb.New(); ok {
		t.Fatal("dead slot reused before Reap")
	}
	if tb.Reap(5) {
		t.Fatal("reaped the current thread")
	}
	if s, ok := tb.Yield(); !ok || s != 6 {
		t.Fatalf("Yield after exit: %d %v", s, ok)
	}
	if !tb.Reap(5) || tb.State(5) != Free || tb.Reap(5) || tb.Reap(6) {
		t.Fatal("Reap")
	}
	// ReapDead spares keep and the current thread.
	tb.Exit(6) // current
	tb.Exit(7)
	tb.Exit(8)
	if tb.Live() != MaxThreads-4 || tb.IsRunning(6) || tb.IsRunning(-1) {
		t.Fatalf("Live %d", tb.Live())
	}
	if n := tb.ReapDead(7); n != 1 || tb.State(8) != Free || tb.State(7) != Dead || tb.State(6) != Dead {
		t.Fatalf("ReapDead freed %d", n)
	}
	if s, ok := tb.Yield(); !ok || s != 9 || !tb.IsRunning(9) {
		t.Fatalf("Yield: %d", s)
	}
	if n := tb.ReapDead(-1); n != 2 || tb.Count(Dead) != 0 {
		t.Fatalf("ReapDead freed %d", n)
	}
	tb.New()
	tb.New()
	s, tid, ok := tb.New()
	if !ok || s != 7 || seen[tid] || tid != MaxThreads+3 {
		t.Fatalf("reuse: slot %d tid %d", s, tid)
	}
	// Invalid slots.
	for _, bad := range []int{-2, -1, MaxThreads, 1 << 20} {
		if tb.Exit(bad) || tb.Reap(bad) || tb.Wake(bad) || tb.FutexWait(bad, 4, 0) || tb.Sleep(bad, 1) || tb.State(bad) != Free || tb.Tid(bad) != 0 || tb.WakeReason(bad) != WakeNone {
			t.Fatalf("slot %d accepted", bad)
		}
	}
	if tb.SetCurrent(-2) || tb.SetCurrent(MaxThreads) {
		t.Fatal("SetCurrent of an invalid slot")
	}
	if _, ok := tb.SlotOfTid(0); ok {
		t.Fatal("tid 0")
	}
}

func TestTidWrap(t *testing.T) {
	tb := new(Table)
	s0, _, _ := tb.New() // tid 1, stays alive
	tb.lastTid = 1<<31 - 2
	_, a, _ := tb.New()
	s, b, _ := tb.New()
	tb.Exit(s)
	tb.Reap(s)
	_, c, _ := tb.New()
	// After MaxInt32 tids wrap to 1, skipping tids in use (1: slot s0),
	// and keep increasing: the reaped tid 2 is not handed out again at once.
	if a != 1<<31-1 || b != 2 || c != 3 || tb.Tid(s0) != 1 {
		t.Fatalf("wrap: %d %d %d", a, b, c)
	}
}

func TestPickNextRoundRobin(t *testing.T) {
	tb := new(Table)
	if _, ok := tb.PickNext(); ok {
		t.Fatal("empty table picked a thread")
	}
	for i := 0; i < 5; i++ {
		mustNew(t, tb)
	}
	// Slots 0..4 runnable; 2 sleeps.
	tb.Sleep(2, 0)
	runs := make([]int, 5)
	var order []int
	for r := 0; r < 400; r++ {
		s, ok := tb.Yield()
		if !ok {
			t.Fatal("idle with runnable threads")
		}
		runs[s]++
		if r < 8 {
			order = append(order, s)
		}
		if tb.Current() != s || tb.State(s) != Running || tb.Count(Running) != 1 {
			t.Fatal("current bookkeeping")
		}
	}
	want := []int{0, 1, 3, 4, 0, 1, 3, 4}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("order %v, want %v", order, want)
		}
	}
	if runs[0] != 100 || runs[1] != 100 || runs[3] != 100 || runs[4] != 100 || runs[2] != 0 {
		t.Fatalf("unfair: %v", runs)
	}
	// Only the current thread runnable: it is picked again.
	for _, s := range []int{0, 1, 3} {
		tb.Sleep(s, 0)
	}
	if cur := tb.Current(); cur != 4 {
		t.Fatalf("current %d", cur)
	}
	if s, ok := tb.PickNext(); !ok || s != 4 {
		t.Fatalf("lone current: %d %v", s, ok)
	}
	// The current thread blocks: idle, then a wake resumes after it.
	tb.FutexWait(4, 0x1000, 0)
	if _, ok := tb.Yield(); ok || tb.Current() != -1 {
		t.Fatal("expected idle")
	}
	tb.Wake(1)
	tb.Wake(3)
	if s, _ := tb.Yield(); s != 1 { // round robin continues after slot 4: 0 sleeps, 1
		t.Fatalf("after idle: %d", s)
	}
	if tb.SetCurrent(2) || tb.SetCurrent(4) {
		t.Fatal("SetCurrent of a waiting thread")
	}
	if !tb.SetCurrent(3) || tb.State(1) != Runnable || tb.State(3) != Running {
		t.Fatal("SetCurrent switch")
	}
	if !tb.SetCurrent(-1) || tb.State(3) != Runnable || tb.Current() != -1 {
		t.Fatal("SetCurrent(-1)")
	}
}

func TestFutexFIFOAndLimit(t *testing.T) {
	tb := new(Table)
	for i := 0; i < 8; i++ {
		mustNew(t, tb)
	}
	const A, B = 0x8000_1000, 0x8000_2000
	// Interleave waiters on two addresses; order of waiting 5,1,7,3 on A.
	for _, s := range []int{5, 1, 7, 3} {
		if !tb.FutexWait(s, A, 0) {
			t.Fatal("FutexWait")
		}
		tb.FutexWait(s-1, B, 0)
	}
	if tb.FutexWait(5, A, 0) {
		t.Fatal("blocked twice")
	}
	if k, f, ok := tb.WaitingOn(5); !ok || !f || k != A {
		t.Fatal("WaitingOn")
	}
	if n := tb.FutexWake(A, 0); n != 0 {
		t.Fatalf("n=0 woke %d", n)
	}
	if n := tb.FutexWake(A, 1); n != 1 || tb.State(5) != Runnable || tb.WakeReason(5) != WakeWoken {
		t.Fatalf("first wake: %d", n)
	}
	if n := tb.FutexWake(A, 2); n != 2 || tb.State(1) != Runnable || tb.State(7) != Runnable || tb.State(3) != Blocked {
		t.Fatalf("second wake: %d", n)
	}
	if tb.WakeReason(3) != WakeNone {
		t.Fatal("reason of a waiting thread")
	}
	if n := tb.FutexWake(A, 100); n != 1 || tb.State(3) != Runnable {
		t.Fatalf("third wake: %d", n)
	}
	if n := tb.FutexWake(A, 100); n != 0 {
		t.Fatalf("empty queue woke %d", n)
	}
	if n := tb.FutexWake(B+4, 100); n != 0 || tb.Count(Blocked) != 4 {
		t.Fatalf("other address woke %d", n)
	}
	// Wait channels are a separate key space even with equal numbers.
	tb.BlockOn(5, B, 0)
	if n := tb.FutexWake(B, 100); n != 4 || tb.State(5) != Blocked {
		t.Fatalf("futex wake hit a channel waiter: %d", n)
	}
	if k, f, ok := tb.WaitingOn(5); !ok || f || k != B {
		t.Fatal("WaitingOn chan")
	}
	if n := tb.WakeChan(B, 1); n != 1 || tb.State(5) != Runnable {
		t.Fatal("WakeChan")
	}
}

// Many waiters that all hash to one bucket still wake FIFO per key.
func TestBucketCollisions(t *testing.T) {
	tb := new(Table)
	var keys []uint32
	for k := uint32(4); len(keys) < 3; k += 4 {
		if bucket(keyFutex, k) == bucket(keyFutex, 4) {
			keys = append(keys, k)
		}
	}
	for i := 0; i < 12; i++ {
		s := mustNew(t, tb)
		tb.FutexWait(s, keys[i%3], 0)
	}
	for _, k := range []int{1, 0, 2} {
		for j := 0; j < 4; j++ {
			before := tb.Count(Runnable)
			if tb.FutexWake(keys[k], 1) != 1 {
				t.Fatal("wake")
			}
			if want := k + 3*j; tb.State(want) != Runnable || tb.Count(Runnable) != before+1 {
				t.Fatalf("key %d: slot %d not woken in order", k, want)
			}
		}
	}
}

func TestTimeouts(t *testing.T) {
	tb := new(Table)
	for i := 0; i < 4; i++ {
		mustNew(t, tb)
	}
	tb.FutexWait(0, 0x100, 1000)
	tb.FutexWait(1, 0x100, 0)
	tb.Sleep(2, 500)
	tb.BlockOn(3, 7, 2000)
	if d, ok := tb.NextDeadline(); !ok || d != 500 {
		t.Fatalf("NextDeadline %d %v", d, ok)
	}
	if n := tb.Tick(499); n != 0 {
		t.Fatal("early tick")
	}
	if n := tb.Tick(500); n != 1 || tb.State(2) != Runnable || tb.WakeReason(2) != WakeTimeout {
		t.Fatal("sleep timeout")
	}
	if n := tb.Tick(1500); n != 1 || tb.WakeReason(0) != WakeTimeout {
		t.Fatal("futex timeout")
	}
	// Wake after timeout: no double wake; the untimed waiter is woken.
	if n := tb.FutexWake(0x100, 2); n != 1 || tb.State(1) != Runnable || tb.WakeReason(0) != WakeTimeout || tb.WakeReason(1) != WakeWoken {
		t.Fatalf("wake after timeout woke %d", n)
	}
	// Wake before timeout: the deadline no longer fires.
	if tb.WakeChan(7, 1) != 1 || tb.Tick(1<<40) != 0 || tb.WakeReason(3) != WakeWoken {
		t.Fatal("timeout after wake")
	}
	if _, ok := tb.NextDeadline(); ok {
		t.Fatal("deadline left")
	}
	// Interrupt, and Wake of a sleeper without deadline.
	tb.Sleep(0, 0)
	tb.FutexWait(1, 0x200, 99)
	if !tb.Interrupt(1) || tb.WakeReason(1) != WakeInterrupted || tb.FutexWake(0x200, 1) != 0 || tb.Interrupt(1) {
		t.Fatal("Interrupt")
	}
	if tb.Tick(1<<62) != 0 || !tb.Wake(0) || tb.Wake(0) || tb.WakeReason(0) != WakeWoken {
		t.Fatal("Wake of a sleeper")
	}
	// Blocking again clears the reason.
	tb.Sleep(0, 5)
	if tb.WakeReason(0) != WakeNone || tb.Deadline(0) != 5 {
		t.Fatal("reason not cleared")
	}
}

func TestExitWhileBlocked(t *testing.T) {
	tb := new(Table)
	for i := 0; i < 3; i++ {
		mustNew(t, tb)
	}
	tb.FutexWait(0, 0x40, 100)
	tb.FutexWait(1, 0x40, 0)
	tb.FutexWait(2, 0x40, 0)
	if !tb.Exit(1) {
		t.Fatal("Exit")
	}
	if tb.Wake(1) || tb.Interrupt(1) {
		t.Fatal("woke a dead thread")
	}
	if n := tb.FutexWake(0x40, 10); n != 2 || tb.State(1) != Dead {
		t.Fatalf("wake after exit woke %d", n)
	}
	tb.Sleep(0, 100)
	tb.Exit(0)
	if tb.Tick(1000) != 0 || tb.State(0) != Dead {
		t.Fatal("timeout of a dead thread")
	}
	if _, ok := tb.NextDeadline(); ok {
		t.Fatal("dead thread's deadline")
	}
	checkInvariants(t, tb)
}

var benchTable Table

func TestNoAlloc(t *testing.T) {
	tb := &benchTable
	if n := testing.AllocsPerRun(1000, func() {
		s, tid, _ := tb.New()
		s2, _, _ := tb.New()
		tb.SetCurrent(s)
		tb.PickNext()
		tb.Yield()
		tb.SlotOfTid(tid)
		tb.FutexWait(s, 0x1234, 10)
		tb.BlockOn(s2, 9, 0)
		tb.NextDeadline()
		tb.FutexWake(0x1234, 1)
		tb.WakeChan(9, 1)
		tb.Sleep(s, 5)
		tb.Tick(10)
		tb.Wake(s)
		tb.Interrupt(s)
		tb.WakeReason(s)
		tb.WaitingOn(s)
		tb.Count(Runnable)
		tb.Exit(s)
		tb.Exit(s2)
		tb.SetCurrent(-1)
		tb.Reap(s)
		tb.Reap(s2)
		tb.ReapDead(-1)
		_ = tb.Live()
		_ = tb.IsRunning(s)
	}); n != 0 {
		t.Fatalf("%v allocations per run", n)
	}
}
