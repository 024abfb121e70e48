package kpatch

import (
	"fmt"
	"testing"
)

func TestHex(t *testing.T) {
	for _, a := range []uint32{0, 1, 0xf, 0x10, 0xc0233df0, 0xa0400000, 0xffffffff, 0x80000000} {
		if got, want := hex(a), fmt.Sprintf("%#x", a); got != want {
			t.Errorf("hex(%d) = %q, want %q", a, got, want)
		}
	}
}
