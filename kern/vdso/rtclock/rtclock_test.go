package rtclock

import "testing"

// On the host (Linux's vDSO, or none) the runtime's clock lies between two
// system-call readings, and the vDSO, when there is one, starts with an
// ELF header.
func TestAgree(t *testing.T) {
	const slack = 1000 // ns
	for i := 0; i < 100; i++ {
		s1, e := Sys(1)
		if e != 0 {
			t.Fatal(e)
		}
		v := Nanotime()
		s2, _ := Sys(1)
		if v < s1-slack || v > s2+slack {
			t.Fatalf("runtime %d outside [%d, %d]", v, s1, s2)
		}
	}
	if _, e := Sys(1 << 20); e == 0 {
		t.Error("a bad clock id accepted")
	}
	t.Logf("vDSO at %#x", VDSO())
}
