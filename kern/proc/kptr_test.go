package proc

import "testing"

func TestHideAddrs(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"c0100000 T gojos/kern.main\n007d6000 t test2\t[test]\n", "00000000 T gojos/kern.main\n00000000 t test2\t[test]\n"},
		{"test 4096 0 - Live 0x007d6000 (D)\n", "test 4096 0 - Live 0x00000000 (D)\n"},
		{"0xc02415a0 T gojos/kern/kpatch.kpatch_test2\n", "0x00000000 T gojos/kern/kpatch.kpatch_test2\n"},
		{"0xc02415b0 kpatch_test2+0x10\n", "0x00000000 kpatch_test2+0x10\n"},
		{"kpatch_test1 (0xc0241580):\n  0: -> test2 [test] (via bridge)\n", "kpatch_test1 (0x00000000):\n  0: -> test2 [test] (via bridge)\n"},
		{"c0241580:\te8 0b 00 00 00        \tcall 0xc0241590 <x+0x10>\n", "00000000:\te8 0b 00 00 00        \tcall 0x00000000 <x+0x10>\n"},
		{"mov 0x10(%eax),%ecx; $0x3fffff; 0x400000", "mov 0x10(%eax),%ecx; $0x3fffff; 0x000000"},
		{"no symbol 0xFFFFFFFFFFFFFFFFFFFF here", "no symbol 0x00000000000000000000 here"},
		{"a0x7d6000 deadbeef", "a0x7d6000 deadbeef"}, // not a number on its own, not a line's first field of 8 digits + space
		{"deadbeefcafe x", "deadbeefcafe x"},
		{"", ""}, {"0x", "0x"}, {"c0100000", "c0100000"},
	} {
		if got := HideAddrs(c.in); got != c.want {
			t.Errorf("HideAddrs(%q) = %q, want %q", c.in, got, c.want)
		}
		if len(HideAddrs(c.in)) != len(c.in) {
			t.Errorf("width changed for %q", c.in)
		}
	}
}

func FuzzHideAddrs(f *testing.F) {
	f.Add("c0100000 T x\n0x7d6000")
	f.Fuzz(func(t *testing.T, s string) {
		h := HideAddrs(s)
		if len(h) != len(s) {
			t.Fatal("length changed")
		}
		if HideAddrs(h) != h {
			t.Fatal("not idempotent")
		}
	})
}
