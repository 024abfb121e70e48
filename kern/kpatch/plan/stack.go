package plan

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Stack is the list of patches applied to one function entry, oldest first.
//
// Invariant: the 5 bytes in memory at Target always equal Current(): the newest
// remaining patch's jump, or the original bytes when the stack is empty. Pushing a
// patch writes its jump; removing the newest writes the previous patch's jump (or the
// original bytes); removing an older one only drops it from the list, and memory
// does not change. Every operation returns the bytes memory must hold afterwards and
// whether they changed, so the kernel writes only when needed.
type Stack struct {
	Target uint32
	Orig   [JumpLen]byte // the function's own bytes, from the first patch
	plans  []Plan
}

// ErrNoPatch is wrapped by Remove when nothing matches.
var ErrNoPatch = errors.New("no such patch")

// Current is what the 5 bytes at Target must be.
func (s *Stack) Current() [JumpLen]byte {
	if n := len(s.plans); n > 0 {
		return s.plans[n-1].Patch
	}
	return s.Orig
}

// Len is the number of patches.
func (s *Stack) Len() int { return len(s.plans) }

// Newest returns the newest patch's replacement; ok is false when the
// stack is empty. (List copies every plan.)
func (s *Stack) Newest() (repl uint32, ok bool) {
	if len(s.plans) == 0 {
		return 0, false
	}
	return s.plans[len(s.plans)-1].Replacement, true
}

// List returns copies of the patches, oldest first.
func (s *Stack) List() []Plan {
	return append([]Plan(nil), s.plans...)
}

// Push adds p as the newest patch. p must be planned for this stack's target from
// the bytes currently in memory (p.Orig == Current()); on an empty stack those are
// the original bytes, recorded in Orig. Patching to the replacement that is already
// in effect is refused. It returns the bytes to write (p.Patch).
func (s *Stack) Push(p *Plan) ([JumpLen]byte, error) {
	if p == nil {
		return s.Current(), errors.New("nil plan")
	}
	if len(s.plans) == 0 && s.Target == 0 {
		s.Target = p.Target // a zero Stack adopts its first plan's target
	}
	if p.Target != s.Target {
		return s.Current(), fmt.Errorf("plan for %#x pushed on the patch stack of %#x", p.Target, s.Target)
	}
	if len(s.plans) == 0 {
		s.Orig = p.Orig
	} else if cur := s.Current(); p.Orig != cur {
		return cur, fmt.Errorf("patch of %#x planned from bytes % x, but memory should hold % x", p.Target, p.Orig, cur)
	}
	if n := len(s.plans); n > 0 && s.plans[n-1].Replacement == p.Replacement {
		return s.Current(), fmt.Errorf("%#x already jumps to %#x", p.Target, p.Replacement)
	}
	s.plans = append(s.plans, *p)
	return p.Patch, nil
}

// Remove drops the newest patch whose replacement is repl. It returns the bytes
// memory must hold afterwards and whether they differ from before.
func (s *Stack) Remove(repl uint32) (after [JumpLen]byte, changed bool, err error) {
	for i := len(s.plans) - 1; i >= 0; i-- {
		if s.plans[i].Replacement == repl {
			return s.RemoveAt(i)
		}
	}
	return s.Current(), false, fmt.Errorf("%w: %#x is not patched to %#x", ErrNoPatch, s.Target, repl)
}

// RemoveAt drops the patch at index i (0 = oldest), like Remove.
func (s *Stack) RemoveAt(i int) (after [JumpLen]byte, changed bool, err error) {
	if i < 0 || i >= len(s.plans) {
		return s.Current(), false, fmt.Errorf("%w: index %d of %d", ErrNoPatch, i, len(s.plans))
	}
	before := s.Current()
	s.plans = append(s.plans[:i], s.plans[i+1:]...)
	after = s.Current()
	return after, after != before, nil
}

// Set holds the patch stacks of all patched functions, by target address.
// It is not safe for concurrent use; the kernel serialises patching.
type Set struct {
	// stacks holds a stack for every function patched since the set was
	// made, emptied ones included: patching and unpatching one function
	// again and again reuses its stack and allocates nothing.
	stacks map[uint32]*Stack
}

// Stack returns the stack for target, or nil if it has no patches.
func (ps *Set) Stack(target uint32) *Stack {
	if st := ps.stacks[target]; st != nil && len(st.plans) > 0 {
		return st
	}
	return nil
}

// Push records p; see Stack.Push.
func (ps *Set) Push(p *Plan) ([JumpLen]byte, error) {
	if p == nil {
		return [JumpLen]byte{}, errors.New("nil plan")
	}
	if ps.stacks == nil {
		ps.stacks = map[uint32]*Stack{}
	}
	if loop := ps.cycle(p.Target, p.Replacement); loop != nil {
		return ps.current(p.Target), &CycleError{Path: loop}
	}
	if st := ps.stacks[p.Target]; st != nil {
		return st.Push(p) // on an emptied stack, p's bytes are the original ones again
	}
	st := &Stack{Target: p.Target}
	b, err := st.Push(p)
	if err == nil {
		ps.stacks[p.Target] = st
	}
	return b, err
}

// Remove drops the newest patch of target to repl.
func (ps *Set) Remove(target, repl uint32) (after [JumpLen]byte, changed bool, err error) {
	st := ps.Stack(target)
	if st == nil {
		return after, false, fmt.Errorf("%w: %#x is not patched", ErrNoPatch, target)
	}
	// Removing the newest patch uncovers the one below it: refuse if
	// that would close a cycle.
	if n := len(st.plans); n >= 2 && st.plans[n-1].Replacement == repl {
		if loop := ps.cycle(target, st.plans[n-2].Replacement); loop != nil {
			return st.Current(), false, &CycleError{Path: loop}
		}
	}
	after, changed, err = st.Remove(repl)
	if st.Len() == 0 {
		clear(st.plans[:cap(st.plans)]) // no decoded instructions kept alive
	}
	return after, changed, err
}

// Targets lists the patched addresses in increasing order.
func (ps *Set) Targets() []uint32 {
	out := make([]uint32, 0, len(ps.stacks))
	for t, st := range ps.stacks {
		if len(st.plans) > 0 {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Redirecting reports the patches whose replacement lies in [lo, hi): before a
// module is unloaded the kernel must refuse (or remove them), or patched functions
// would jump into freed memory.
func (ps *Set) Redirecting(lo, hi uint32) []Plan {
	var out []Plan
	for _, t := range ps.Targets() {
		for _, p := range ps.stacks[t].plans {
			if p.Replacement >= lo && p.Replacement < hi {
				out = append(out, p)
			}
		}
	}
	return out
}

// CycleError refuses a change that would make patched functions jump to
// each other in a loop (a call would never return): Path is the loop,
// starting and ending at the function being changed.
type CycleError struct {
	Path []uint32
}

func (e *CycleError) Error() string {
	var b strings.Builder
	for i, a := range e.Path {
		if i > 0 {
			b.WriteString(" -> ")
		}
		fmt.Fprintf(&b, "%#x", a)
	}
	return "the patch would make a cycle of jumps: " + b.String()
}

// cycle returns the loop target -> repl -> ... -> target that making target
// jump to repl would close (following each function's newest patch), or
// nil.
func (ps *Set) cycle(target, repl uint32) []uint32 {
	if !ps.loops(target, repl) {
		return nil // the common answer, found without a slice
	}
	path := []uint32{target}
	for a := repl; ; a = ps.newest(a) {
		path = append(path, a)
		if a == target {
			return path
		}
	}
}

// loops reports whether following the newest patches from repl reaches
// target. A chain visits each patched function at most once before it
// either ends or loops, so it is cut after as many steps as stacks.
func (ps *Set) loops(target, repl uint32) bool {
	a := repl
	for range len(ps.stacks) + 1 {
		if a == target {
			return true
		}
		st := ps.stacks[a]
		if st == nil || len(st.plans) == 0 {
			return false
		}
		a = st.plans[len(st.plans)-1].Replacement
	}
	return a == target
}

// newest returns the replacement of a's newest patch (a is patched).
func (ps *Set) newest(a uint32) uint32 {
	st := ps.stacks[a]
	return st.plans[len(st.plans)-1].Replacement
}

// current returns the bytes target's entry holds now (its newest patch),
// zero if unpatched.
func (ps *Set) current(target uint32) [JumpLen]byte {
	if st := ps.Stack(target); st != nil {
		return st.Current()
	}
	return [JumpLen]byte{}
}

// Clone returns a copy of the set that later changes to either do not
// affect: a multi-function change is made on the set and, should it fail,
// undone by going back to the copy.
func (ps *Set) Clone() Set {
	c := Set{stacks: make(map[uint32]*Stack, len(ps.stacks))}
	for t, s := range ps.stacks {
		if len(s.plans) > 0 {
			c.stacks[t] = &Stack{Target: s.Target, Orig: s.Orig, plans: append([]Plan(nil), s.plans...)}
		}
	}
	return c
}
