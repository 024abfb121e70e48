package kpatch

import (
	"testing"

	"gojos/kern/functab"
)

func TestWordResult(t *testing.T) {
	typ := func(c functab.Class, size uint32) functab.Type { return functab.Type{Class: c, Size: size} }
	for _, c := range []struct {
		t    functab.Type
		w    uint32
		want string
	}{
		{typ(functab.ClassInt, 4), 1, "1"},
		{typ(functab.ClassInt, 4), 0xFFFFFFFF, "-1"},
		{typ(functab.ClassInt, 4), 0x80000000, "-2147483648"},
		{typ(functab.ClassInt, 1), 0xDEADBE80, "-128"}, // only the low byte is the result
		{typ(functab.ClassInt, 1), 0x1234567F, "127"},
		{typ(functab.ClassInt, 2), 0xABCDFFFE, "-2"},
		{typ(functab.ClassUint, 4), 0xFFFFFFFF, "4294967295"},
		{typ(functab.ClassUint, 1), 0xFFFFFF05, "5"},
		{typ(functab.ClassUint, 2), 0x0001FFFF, "65535"},
		{typ(functab.ClassBool, 1), 0xAAAAAA01, "true"},
		{typ(functab.ClassBool, 1), 0xAAAAAA00, "false"},
	} {
		if got := wordResult(c.t, c.w); got != c.want {
			t.Errorf("wordResult(%v %d bytes, %#x) = %s, want %s", c.t.Class, c.t.Size, c.w, got, c.want)
		}
	}
}
