package linux

import (
	"encoding/binary"
	"testing"
)

func TestTimespec(t *testing.T) {
	for _, wide := range []bool{false, true} {
		b := make([]byte, TimespecLen(wide))
		for _, ns := range []int64{0, 1, 999999999, 1e9, 1234567891234, 3 * TimespecMaxSec * 1e9 / 4} {
			if !wide && ns/1e9 > 1<<31-1 {
				continue // the 32-bit form ends in 2038
			}
			EncodeTimespec(b, ns, wide)
			if got, ok := DecodeTimespec(b, wide); !ok || got != ns {
				t.Errorf("wide=%v: %d → %d, %v", wide, ns, got, ok)
			}
		}
	}
	old := make([]byte, 8)
	binary.LittleEndian.PutUint32(old, 0xFFFFFFFF) // -1 s
	if _, ok := DecodeTimespec(old, false); ok {
		t.Error("negative seconds accepted")
	}
	binary.LittleEndian.PutUint32(old, 1)
	binary.LittleEndian.PutUint32(old[4:], 1e9)
	if _, ok := DecodeTimespec(old, false); ok {
		t.Error("nanoseconds of 1e9 accepted")
	}
	wide := make([]byte, 16)
	binary.LittleEndian.PutUint64(wide, 1<<62)
	if ns, ok := DecodeTimespec(wide, true); !ok || ns != TimespecMaxSec*1e9 {
		t.Errorf("huge timeout: %d %v (want the cap)", ns, ok)
	}
	if TimespecLen(true) != 16 || TimespecLen(false) != 8 {
		t.Error("TimespecLen")
	}
	for id, want := range map[int32][2]bool{CLOCK_REALTIME: {true, true}, CLOCK_MONOTONIC: {false, true},
		CLOCK_BOOTTIME: {false, true}, CLOCK_REALTIME_ALARM: {false, false}, -1: {false, false}} {
		if r, ok := ClockRealtime(id); r != want[0] || ok != want[1] {
			t.Errorf("ClockRealtime(%d) = %v, %v", id, r, ok)
		}
	}
}
