package kmain

import "testing"

func TestProcsFor(t *testing.T) {
	if got := procsFor(""); got != kernelProcs {
		t.Errorf("procsFor(\"\") = %d, want %d", got, kernelProcs)
	}
	if kernelProcs < 2 {
		t.Errorf("kernelProcs = %d: one P serializes every wake-up behind the runtime's monitor", kernelProcs)
	}
	for _, env := range []string{"1", "2", "8"} {
		if got := procsFor(env); got != 0 {
			t.Errorf("procsFor(%q) = %d, want 0 (the command line's GOMAXPROCS wins)", env, got)
		}
	}
}
