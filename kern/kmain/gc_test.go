package kmain

import "testing"

func TestGCPolicy(t *testing.T) {
	for _, c := range []struct {
		free    uint32
		percent int
		limit   int64
		ok      bool
	}{
		{free: 20 << 10},       // the seed scenario's smallest machine: defaults
		{free: gcRoomyKiB - 1}, // just below: defaults
		{free: gcRoomyKiB, percent: gcRoomyPercent, limit: 16 << 20, ok: true},
		{free: 240 << 10, percent: gcRoomyPercent, limit: 60 << 20, ok: true},
	} {
		p, l, ok := gcPolicy(c.free)
		if p != c.percent || l != c.limit || ok != c.ok {
			t.Errorf("gcPolicy(%d KiB) = %d, %d, %v; want %d, %d, %v", c.free, p, l, ok, c.percent, c.limit, c.ok)
		}
	}
}

func TestWarmPatching(t *testing.T) {
	if warmPatching(20<<10) || !warmPatching(240<<10) {
		t.Error("warmPatching: want off at 20 MiB free, on at 240 MiB")
	}
}
