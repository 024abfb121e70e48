package kpatch

import (
	"reflect"
	"testing"
)

func TestAppendWords(t *testing.T) {
	for in, want := range map[string][]string{
		"kcall f":                       {"kcall", "f"},
		"  kcall   f  1 -2\\t":          {"kcall", "f", "1", "-2\\t"},
		`kcall f "a b" "" x"y`:          {"kcall", "f", `"a b"`, `""`, `x"y`},
		`kcall f "q\"uote"z`:            {"kcall", "f", `"q\"uote"`, "z"},
		"":                              nil,
		"kpatch\tkpatch_test1\ttest2\n": {"kpatch", "kpatch_test1", "test2"},
	} {
		got, err := AppendWords(nil, in)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("AppendWords(nil, %q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{`kcall f "unterminated`, `kcall f "bad \q escape"`} {
		if _, err := AppendWords(nil, bad); err == nil {
			t.Errorf("AppendWords(nil, %q): no error", bad)
		}
	}
}

func TestAppendWordsNoAllocation(t *testing.T) {
	var room [4]string
	n := testing.AllocsPerRun(100, func() {
		f, err := AppendWords(room[:0], "kpatch kpatch_bench_a kpatch_bench_b")
		if err != nil || len(f) != 3 || f[2] != "kpatch_bench_b" {
			t.Fatalf("AppendWords = %q, %v", f, err)
		}
	})
	if n != 0 {
		t.Errorf("AppendWords with room allocates %v times", n)
	}
}
