package cmdutil

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

func TestStatus(t *testing.T) {
	var buf bytes.Buffer
	for _, tc := range []struct {
		err  error
		want int
		msg  string
	}{
		{nil, 0, ""},
		{ExitStatus(3), 3, ""},
		{fmt.Errorf("wrapped: %w", ExitStatus(4)), 4, ""},
		{errors.New("boom"), 1, "x: boom\n"},
	} {
		buf.Reset()
		if got := Status("x", tc.err, &buf); got != tc.want || buf.String() != tc.msg {
			t.Errorf("Status(%v) = %d, %q; want %d, %q", tc.err, got, buf.String(), tc.want, tc.msg)
		}
	}
}

func TestParse(t *testing.T) {
	var buf bytes.Buffer
	fs := FlagSet("x", "[-n]", &buf)
	n := fs.Bool("n", false, "no newline")
	if err := Parse(fs, []string{"x", "-n", "a"}); err != nil || !*n || fs.Arg(0) != "a" {
		t.Errorf("Parse: %v %v %v", err, *n, fs.Args())
	}
	if err := Parse(fs, []string{"x", "-q"}); err != Usage || !bytes.Contains(buf.Bytes(), []byte("usage: x [-n]")) {
		t.Errorf("bad flag: %v, %q", err, buf.String())
	}
	if err := Parse(fs, []string{"x", "-h"}); err != ExitStatus(0) {
		t.Errorf("-h: %v", err)
	}
}
