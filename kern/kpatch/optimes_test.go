package kpatch

import "testing"

func TestOpTimes(t *testing.T) {
	var o opTimes
	if got, want := o.take("patch", 1e9), "patch 0 median 0 min 0 max 0 ns\n"; got != want {
		t.Errorf("empty: %q, want %q", got, want)
	}
	for _, d := range []uint64{5000, 1000, 3000, 2000, 4000} {
		o.add(d)
	}
	// 2 GHz: 1000 ticks are 500 ns.
	if got, want := o.take("unpatch", 2e9), "unpatch 5 median 1500 min 500 max 2500 ns\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := o.take("unpatch", 2e9); got != "unpatch 0 median 0 min 0 max 0 ns\n" {
		t.Errorf("take did not start a new record: %q", got)
	}
	for i := 0; i < maxOpTimes+10; i++ {
		o.add(1)
	}
	if n := len(o.ticks); n != maxOpTimes {
		t.Errorf("kept %d, want at most %d", n, maxOpTimes)
	}
	// A huge count of ticks converts without overflow.
	o.ticks = nil
	o.add(1 << 62)
	if got, want := o.take("patch", 1<<31), "patch 1 median 2147483648000000000 min 2147483648000000000 max 2147483648000000000 ns\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
