package plan

import "bytes"

// Planner is New with a memory: it keeps each target's plan with the
// function and the code bytes it was decoded from, and planning that target
// again from the same function and the same bytes reuses the decode. The
// result is New's, as New is a function of its arguments alone; a change of
// any byte decodes afresh. Under TCG the x86asm decode was about 7 µs of a
// kernel patch's 40. Errors are not kept. The zero Planner is ready; it is
// not safe for concurrent use.
type Planner struct {
	plans map[uint32]*planned // by pointer: a hit copies nothing
}

type planned struct {
	fn   Func
	code [MaxCode]byte
	n    int
	plan *Plan
}

// maxPlanned bounds the memory: when it is full, it starts again empty.
const maxPlanned = 256

// New is New(fn, target, code, repl). The plan returned may be the one
// kept: plans are not changed once made (To and Stack.Push copy them).
func (c *Planner) New(fn Func, target uint32, code []byte, repl uint32) (*Plan, error) {
	e := c.plans[target]
	if e != nil && repl != target && e.fn == fn && e.n == len(code) && bytes.Equal(e.code[:e.n], code) {
		if repl == e.plan.Replacement {
			return e.plan, nil
		}
		return e.plan.To(repl)
	}
	p, err := New(fn, target, code, repl)
	if err != nil || len(code) > MaxCode {
		return p, err
	}
	if c.plans == nil || len(c.plans) >= maxPlanned {
		c.plans = make(map[uint32]*planned)
	}
	e = &planned{fn: fn, n: len(code), plan: p}
	copy(e.code[:], code)
	c.plans[target] = e
	return p, nil
}
