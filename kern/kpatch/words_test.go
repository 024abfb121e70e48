package kpatch

import (
	"reflect"
	"testing"
)

func TestWords(t *testing.T) {
	for in, want := range map[string][]string{
		"kcall f":                       {"kcall", "f"},
		"  kcall   f  1 -2\\t":          {"kcall", "f", "1", "-2\\t"},
		`kcall f "a b" "" x"y`:          {"kcall", "f", `"a b"`, `""`, `x"y`},
		`kcall f "q\"uote"z`:            {"kcall", "f", `"q\"uote"`, "z"},
		"":                              nil,
		"kpatch\tkpatch_test1\ttest2\n": {"kpatch", "kpatch_test1", "test2"},
	} {
		got, err := Words(in)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Words(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{`kcall f "unterminated`, `kcall f "bad \q escape"`} {
		if _, err := Words(bad); err == nil {
			t.Errorf("Words(%q): no error", bad)
		}
	}
}
