package main

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestParseScript(t *testing.T) {
	src := "# boot\n" +
		"\n" +
		"timeout 5s\n" +
		"expect gojos \\d+\\.\\d+\n" +
		"expect test2 address: (0x[0-9a-f]+) => ADDR\n" +
		"expect (a)(b)(c) => _ B\n" +
		"send kpatch kpatch_test1 ${ADDR}\r\n" +
		"sendraw \"\\x03\"\n" +
		"set Y ${B}-$$\n" +
		"expect \\$\\x20\n" +
		"sleep 10ms\n" +
		"expect-exit\n" +
		"expect-exit 3\n" +
		"expect-qemu-exit 0\n"
	steps, err := parseScript("s.txt", strings.NewReader(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	type brief struct {
		Op, Arg  string
		Captures []string
		Line     int
		Code     int
		Dur      time.Duration
	}
	var got []brief
	for _, s := range steps {
		got = append(got, brief{s.op, s.arg, s.captures, s.line, s.code, s.dur})
	}
	want := []brief{
		{"timeout", "", nil, 3, 0, 5 * time.Second},
		{"expect", `gojos \d+\.\d+`, nil, 4, 0, 0},
		{"expect", `test2 address: (0x[0-9a-f]+)`, []string{"ADDR"}, 5, 0, 0},
		{"expect", `(a)(b)(c)`, []string{"_", "B"}, 6, 0, 0},
		{"send", "kpatch kpatch_test1 ${ADDR}", nil, 7, 0, 0},
		{"sendraw", "\x03", nil, 8, 0, 0},
		{"set", "${B}-$$", nil, 9, 0, 0},
		{"expect", `\$\x20`, nil, 10, 0, 0},
		{"sleep", "", nil, 11, 0, 10 * time.Millisecond},
		{"expect-exit", "", nil, 12, 0, 0},
		{"expect-exit", "", nil, 13, 3, 0},
		{"expect-qemu-exit", "", nil, 14, 0, 0},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parse:\n got %+v\nwant %+v", got, want)
	}
	if s := steps[2].String(); s != "s.txt:5: expect test2 address: (0x[0-9a-f]+) => ADDR" {
		t.Errorf("String() = %q", s)
	}
}

func TestParseTrailingSpaceKept(t *testing.T) {
	steps, err := parseScript("s", strings.NewReader("expect \\$ \nsend a b  \n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if steps[0].arg != `\$ ` || steps[1].arg != "a b  " {
		t.Errorf("args %q %q", steps[0].arg, steps[1].arg)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"frobnicate x", `s:1: unknown command "frobnicate"`},
		{"expect", "needs a regular expression"},
		{"expect (", "bad regular expression"},
		{"expect a(b) => X Y", "2 variables but only 1 capture groups"},
		{"send ${NOPE}", "${NOPE} is not set"},
		{"expect x ${LATER}\nexpect (y) => LATER", "s:1: ${LATER} is not set"},
		{"timeout soon", "positive duration"},
		{"timeout 0s", "positive duration"},
		{"expect-exit 1 2", "usage: expect-exit"},
		{"expect-exit 200", "bad exit status"},
		{"expect-qemu-exit", "usage: expect-qemu-exit"},
		{"sendraw \\x03", "Go-quoted"},
		{"set 9x y", "variable name"},
	} {
		_, err := parseScript("s", strings.NewReader(tc.src), nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parse %q: %v, want error containing %q", tc.src, err, tc.want)
		}
	}
}

func TestParsePredefinedVars(t *testing.T) {
	if _, err := parseScript("s", strings.NewReader("send ${X}"), map[string]bool{"X": true}); err != nil {
		t.Error(err)
	}
}

func TestExpand(t *testing.T) {
	vars := map[string]string{"ADDR": "0xc0101234", "RE": "a.b"}
	for _, tc := range []struct {
		in    string
		quote func(string) string
		want  string
	}{
		{"kpatch f ${ADDR}", identity, "kpatch f 0xc0101234"},
		{"at ${RE}!", regexp.QuoteMeta, `at a\.b!`},
		{"cost $$5 ${RE}", identity, "cost $5 a.b"},
		{`\$ ${ADDR}`, regexp.QuoteMeta, `\$ 0xc0101234`},
		{"$HOME ${1X}", identity, "$HOME ${1X}"},
	} {
		if got := expand(tc.in, vars, tc.quote, false); got != tc.want {
			t.Errorf("expand(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
