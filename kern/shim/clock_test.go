package shim

import (
	"testing"
	"time"
)

func TestUnixSeconds(t *testing.T) {
	for _, tc := range []time.Time{
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2000, 2, 29, 23, 59, 59, 0, time.UTC),
		time.Date(2026, 11, 25, 18, 48, 0, 0, time.UTC),
		time.Date(2099, 12, 31, 12, 0, 1, 0, time.UTC),
		time.Date(1969, 7, 20, 20, 17, 0, 0, time.UTC),
	} {
		got := UnixSeconds(int64(tc.Year()), int64(tc.Month()), int64(tc.Day()),
			int64(tc.Hour()), int64(tc.Minute()), int64(tc.Second()))
		if got != tc.Unix() {
			t.Errorf("%v: got %d, want %d", tc, got, tc.Unix())
		}
	}
}
