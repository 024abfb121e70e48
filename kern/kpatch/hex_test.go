package kpatch

import (
	"fmt"
	"testing"
)

func TestAppendHex(t *testing.T) {
	for _, a := range []uint32{0, 1, 0xf, 0x10, 0xc0233df0, 0xa0400000, 0xffffffff, 0x80000000} {
		if got, want := string(appendHex([]byte("at "), a)), fmt.Sprintf("at %#x", a); got != want {
			t.Errorf("appendHex(%d) = %q, want %q", a, got, want)
		}
	}
}

func TestPatchedLine(t *testing.T) {
	got := patchedLine(label("kdemo.kpatch_test1", 0xc0233110), label("test2 [test]", 0xa0400000), " via a Go→C bridge at 0xa0401000", "func() int")
	want := "patched kdemo.kpatch_test1 (0xc0233110) -> test2 [test] (0xa0400000) via a Go→C bridge at 0xa0401000: func() int\n"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := patchedLine(label("a", 0), label("b", 0x10), "", ""); got != "patched a (0x0) -> b (0x10): \n" {
		t.Errorf("got %q", got)
	}
}

func TestUnpatchedLine(t *testing.T) {
	if got, want := unpatchedLine("kdemo.kpatch_test1", "kdemo.kpatch_test2"), "unpatched kdemo.kpatch_test1: removed the patch to kdemo.kpatch_test2\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
