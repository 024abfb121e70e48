package plan

import (
	"errors"
	"testing"
)

func jump(target, repl uint32) *Plan {
	return &Plan{Target: target, Replacement: repl, Covered: JumpLen}
}

func TestCycleRefused(t *testing.T) {
	var s Set
	const a, b, c = 0x1000, 0x2000, 0x3000
	mustPush := func(p *Plan) {
		t.Helper()
		if _, err := s.Push(p); err != nil {
			t.Fatal(err)
		}
	}
	var ce *CycleError
	// Direct loop.
	mustPush(jump(a, b))
	if _, err := s.Push(jump(b, a)); !errors.As(err, &ce) || len(ce.Path) != 3 {
		t.Fatalf("b -> a with a -> b: %v", err)
	}
	// Longer loop.
	mustPush(jump(b, c))
	if _, err := s.Push(jump(c, a)); !errors.As(err, &ce) || ce.Error() != "the patch would make a cycle of jumps: 0x3000 -> 0x1000 -> 0x2000 -> 0x3000" {
		t.Fatalf("c -> a with a -> b -> c: %v", err)
	}
	// A loop uncovered by a removal: a's stack [b, c], b -> a is fine
	// while a's newest patch goes to c ...
	if _, _, err := s.Remove(b, c); err != nil {
		t.Fatal(err)
	}
	mustPush(jump(a, c))
	mustPush(jump(b, a))
	// ... but removing a -> c would uncover a -> b -> a.
	if _, _, err := s.Remove(a, c); !errors.As(err, &ce) {
		t.Fatalf("remove a -> c: %v", err)
	}
	if got := s.Stack(a).Len(); got != 2 {
		t.Fatalf("refused removal changed the stack: %d patches", got)
	}
	// Self-loop is a cycle too.
	if _, err := s.Push(jump(c, c)); !errors.As(err, &ce) {
		t.Fatalf("c -> c: %v", err)
	}
}
