package plan

import (
	"errors"
	"testing"
)

// mem simulates the 5 bytes at the target and the rest of the function.
type mem struct{ code []byte }

func (m *mem) plan(t *testing.T, repl uint32) *Plan {
	t.Helper()
	p, err := New(Func{"f", base, 64}, base, m.code, repl)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (m *mem) write(b [JumpLen]byte) { copy(m.code, b[:]) }

func TestStack(t *testing.T) {
	m := &mem{code: append([]byte{}, goPrologue...)}
	var orig [5]byte
	copy(orig[:], goPrologue)
	var s Stack
	const a, b, c = 0xc0102000, 0xd0000000, 0xd0001000

	for _, repl := range []uint32{a, b, c} {
		w, err := s.Push(m.plan(t, repl))
		if err != nil {
			t.Fatal(err)
		}
		m.write(w)
	}
	if s.Len() != 3 || s.Orig != orig || s.Target != base {
		t.Fatalf("stack %+v", s)
	}
	if to, _ := JumpTarget(base, m.code); to != c {
		t.Fatalf("memory jumps to %#x", to)
	}
	// Pushing the replacement already in effect is refused.
	if _, err := s.Push(m.plan(t, c)); err == nil {
		t.Error("duplicate push accepted")
	}
	// A plan made from stale bytes is refused.
	stale, _ := New(Func{"f", base, 64}, base, goPrologue, 0xe0000000)
	if _, err := s.Push(stale); err == nil {
		t.Error("stale plan accepted")
	}
	// Another target is refused.
	other, _ := New(Func{"g", base + 0x100, 64}, base+0x100, goPrologue, a)
	if _, err := s.Push(other); err == nil {
		t.Error("other target accepted")
	}

	// Remove the middle one: memory unchanged.
	after, changed, err := s.Remove(b)
	if err != nil || changed || after != s.Current() {
		t.Fatalf("remove middle: %v %v", changed, err)
	}
	if to, _ := JumpTarget(base, after[:]); to != c {
		t.Errorf("after middle removal memory jumps to %#x", to)
	}
	// Remove the newest: back to a's jump.
	after, changed, err = s.Remove(c)
	if err != nil || !changed {
		t.Fatalf("remove newest: %v %v", changed, err)
	}
	if to, _ := JumpTarget(base, after[:]); to != a {
		t.Errorf("after newest removal memory jumps to %#x", to)
	}
	m.write(after)
	if _, _, err := s.Remove(b); !errors.Is(err, ErrNoPatch) {
		t.Errorf("removing twice: %v", err)
	}
	if _, _, err := s.RemoveAt(5); !errors.Is(err, ErrNoPatch) {
		t.Errorf("RemoveAt(5): %v", err)
	}
	l := s.List()
	if len(l) != 1 || l[0].Replacement != a {
		t.Errorf("List = %v", l)
	}
	if r, ok := s.Newest(); !ok || r != a {
		t.Errorf("Newest = %#x, %v; want %#x", r, ok, uint32(a))
	}
	after, changed, err = s.RemoveAt(0)
	if err != nil || !changed || after != orig {
		t.Errorf("last removal: % x %v %v", after, changed, err)
	}
	if r, ok := s.Newest(); ok {
		t.Errorf("Newest of an empty stack = %#x", r)
	}
}

func TestSet(t *testing.T) {
	var ps Set
	m := &mem{code: append([]byte{}, goPrologue...)}
	p := m.plan(t, 0xd0000000)
	w, err := ps.Push(p)
	if err != nil || w != p.Patch {
		t.Fatal(err)
	}
	m.write(w)
	q := m.plan(t, 0xc0102000)
	if _, err := ps.Push(q); err != nil {
		t.Fatal(err)
	}
	if got := ps.Redirecting(0xd0000000, 0xd0001000); len(got) != 1 || got[0].Replacement != 0xd0000000 {
		t.Errorf("Redirecting = %v", got)
	}
	if ts := ps.Targets(); len(ts) != 1 || ts[0] != base {
		t.Errorf("Targets = %v", ts)
	}
	if _, _, err := ps.Remove(base+1, 0); !errors.Is(err, ErrNoPatch) {
		t.Errorf("remove unpatched: %v", err)
	}
	for _, r := range []uint32{0xd0000000, 0xc0102000} {
		if _, _, err := ps.Remove(base, r); err != nil {
			t.Fatal(err)
		}
	}
	if ps.Stack(base) != nil || len(ps.Targets()) != 0 {
		t.Error("empty stack not deleted")
	}
	if _, err := ps.Push(nil); err == nil {
		t.Error("nil plan accepted")
	}
}

func TestClone(t *testing.T) {
	var s Set
	p1, err := New(Func{Name: "f", Start: 0x1000, Size: 32}, 0x1000, []byte{0x65, 0x8b, 0x0d, 0, 0, 0, 0, 0x90, 0x90}, 0x2000)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Push(p1); err != nil {
		t.Fatal(err)
	}
	c := s.Clone()
	if _, _, err := s.Remove(0x1000, 0x2000); err != nil {
		t.Fatal(err)
	}
	if s.Stack(0x1000) != nil || c.Stack(0x1000) == nil || c.Stack(0x1000).Len() != 1 || c.Stack(0x1000).Current() != p1.Patch {
		t.Errorf("the clone changed with the set")
	}
}

// Patching and unpatching one function again and again reuses its emptied
// stack: after the first round, neither allocates. The emptied stack is
// not listed.
func TestSetPatchUnpatchAllocates(t *testing.T) {
	m := &mem{code: append([]byte{}, goPrologue...)}
	p := m.plan(t, 0xc0102000)
	var s Set
	round := func() {
		if _, err := s.Push(p); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Remove(p.Target, p.Replacement); err != nil {
			t.Fatal(err)
		}
	}
	round()
	if n := testing.AllocsPerRun(100, round); n > 0 {
		t.Errorf("a patch and unpatch allocate %.1f times, want none", n)
	}
	if s.Stack(p.Target) != nil || len(s.Targets()) != 0 || len(s.Redirecting(0, 1<<31)) != 0 {
		t.Errorf("the emptied stack is still listed")
	}
	if c := s.Clone(); c.Stack(p.Target) != nil || len(c.stacks) != 0 {
		t.Errorf("the clone has the emptied stack")
	}
	if _, _, err := s.Remove(p.Target, p.Replacement); !errors.Is(err, ErrNoPatch) {
		t.Errorf("removing from the emptied stack: %v, want ErrNoPatch", err)
	}
}
