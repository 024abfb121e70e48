package plan

import (
	"reflect"
	"testing"
)

// The Planner answers as New does, for the same arguments and after any of
// them changed.
func TestPlannerIsNew(t *testing.T) {
	var c Planner
	var first *Plan
	fn := Func{Name: "f", Start: base, Size: 64}
	short := Func{Name: "g", Start: base, Size: 3}
	jmp := Jump(base, 0xc0103000)
	patched := append(jmp[:], goPrologue[5:]...)
	for i, a := range []struct {
		fn     Func
		target uint32
		code   []byte
		repl   uint32
	}{
		{fn, base, goPrologue, 0xc0102000},
		{fn, base, goPrologue, 0xc0102000}, // again: reused
		{fn, base, goPrologue, 0xc0104000}, // another destination
		{fn, base, goPrologue, base},       // itself: New's error
		{fn, base, patched, 0xc0102000},    // other bytes at the entry
		{fn, base, goPrologue, 0xc0102000}, // the first bytes again
		{short, base, goPrologue, 0xc0102000},
		{fn, base + 1, goPrologue, 0xc0102000},
		{fn, base, framePrologue, 0xc0102000},
		{fn, base, []byte{0x0f, 0x0b, 0x0f}, 0xc0102000}, // not enough bytes
	} {
		want, wantErr := New(a.fn, a.target, a.code, a.repl)
		got, err := c.New(a.fn, a.target, a.code, a.repl)
		if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
			t.Errorf("%d: error %v, New's %v", i, err, wantErr)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%d: plan %v, New's %v", i, got, want)
		}
		switch i {
		case 0:
			first = got
		case 1, 2:
			if &got.insts[0] != &first.insts[0] {
				t.Errorf("%d: decoded again", i)
			}
		}
	}
}

// The memory stays bounded.
func TestPlannerBounded(t *testing.T) {
	var c Planner
	for i := uint32(0); i < 3*maxPlanned; i++ {
		a := base + 0x100*i
		if _, err := c.New(Func{Name: "f", Start: a, Size: 64}, a, goPrologue, 0xd0000000); err != nil {
			t.Fatal(err)
		}
		if len(c.plans) > maxPlanned {
			t.Fatalf("%d plans kept", len(c.plans))
		}
	}
}
