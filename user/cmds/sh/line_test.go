package sh

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

func TestLineReader(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		lines    []string // then io.EOF
		echo     string
	}{
		{"lf", "ls\necho x\n", []string{"ls", "echo x"}, "ls\necho x\n"},
		{"cr", "ls\rpwd\r", []string{"ls", "pwd"}, "ls\npwd\n"},
		{"crlf", "ls\r\n\r\npwd\r\n", []string{"ls", "", "pwd"}, "ls\n\npwd\n"},
		{"del", "lx\x7fs\n", []string{"ls"}, "lx\b \bs\n"},
		{"backspace", "l\x08\x08ls\n", []string{"ls"}, "l\b \bls\n"},
		{"utf8 erase", "é\x7fe\n", []string{"e"}, "é\b \be\n"},
		{"ctrl-u", "abc\x15ls\n", []string{"ls"}, "abc\b \b\b \b\b \bls\n"},
		{"ctrl-w", "echo ab  \x17x\n", []string{"echo x"}, "echo ab  \b \b\b \b\b \b\b \bx\n"},
		{"ctrl-c", "junk\x03ls\n", []string{"", "ls"}, "junk^C\nls\n"},
		{"arrows ignored", "l\x1b[A\x1b[1;5Cs\x1bOx\n", []string{"ls"}, "ls\n"},
		{"controls ignored", "l\x01\x02s\n", []string{"ls"}, "ls\n"},
		{"eof mid-line", "ls", []string{"ls"}, "ls"},
		{"ctrl-d", "\x04ls\n", nil, ""},
		{"ctrl-d mid-line ignored", "l\x04s\n", []string{"ls"}, "ls\n"},
	} {
		var echo bytes.Buffer
		lr := NewLineReader(strings.NewReader(tc.in), &echo)
		var got []string
		for {
			line, err := lr.ReadLine()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, line)
		}
		if strings.Join(got, "|") != strings.Join(tc.lines, "|") || len(got) != len(tc.lines) || echo.String() != tc.echo {
			t.Errorf("%s: lines %q echo %q; want %q echo %q", tc.name, got, echo.String(), tc.lines, tc.echo)
		}
	}
}

// oneByte checks that the reader never reads ahead of the line.
type oneByte struct {
	r     io.Reader
	reads int
}

func (o *oneByte) Read(p []byte) (int, error) {
	if len(p) != 1 {
		panic("read of more than one byte")
	}
	o.reads++
	return o.r.Read(p)
}

func TestLineReaderNoReadAhead(t *testing.T) {
	src := strings.NewReader("cat\nfor the child\n")
	lr := NewLineReader(&oneByte{r: src}, nil)
	if line, err := lr.ReadLine(); line != "cat" || err != nil {
		t.Fatalf("ReadLine = %q, %v", line, err)
	}
	if rest, _ := io.ReadAll(src); string(rest) != "for the child\n" {
		t.Errorf("left for the child: %q", rest)
	}
}

func TestLineHistory(t *testing.T) {
	const up, down, ss3up = "\x1b[A", "\x1b[B", "\x1bOA"
	for _, tc := range []struct {
		name, in string
		lines    []string
	}{
		{"recall the previous line", "echo one\n" + up + "\n", []string{"echo one", "echo one"}},
		{"walk back and forth", "a\nb\nc\n" + up + up + up + up + down + "\n", []string{"a", "b", "c", "b"}},
		{"edit a recalled line", "echo one\n" + up + "\x7f\x7f\x7ftwo\n", []string{"echo one", "echo two"}},
		{"SS3 arrows", "ls\n" + ss3up + "\n", []string{"ls", "ls"}},
		{"down past the newest restores the draft", "ls\npw" + up + down + "d\n", []string{"ls", "pwd"}},
		{"nothing to recall", up + "x\n", []string{"x"}},
		{"empty and repeated lines are not kept", "a\n\na\n" + up + up + "\n", []string{"a", "", "a", "a"}},
		{"interrupted lines are not kept", "a\nb\x03" + up + "\n", []string{"a", "", "a"}},
		{"modified arrows are ignored", "a\n\x1b[1;5A\n", []string{"a", ""}},
	} {
		var echo bytes.Buffer
		lr := NewLineReader(strings.NewReader(tc.in), &echo)
		var got []string
		for {
			line, err := lr.ReadLine()
			if err != nil {
				break
			}
			got = append(got, line)
		}
		if strings.Join(got, "|") != strings.Join(tc.lines, "|") || len(got) != len(tc.lines) {
			t.Errorf("%s: lines %q, want %q (echo %q)", tc.name, got, tc.lines, echo.String())
		}
	}
}

func TestLineHistoryEcho(t *testing.T) {
	var echo bytes.Buffer
	lr := NewLineReader(strings.NewReader("ab\nc\x1b[A\n"), &echo)
	lr.ReadLine()
	if line, _ := lr.ReadLine(); line != "ab" {
		t.Fatalf("recalled %q", line)
	}
	// The typed "c" is erased on the screen before the recalled line.
	if want := "ab\nc\b \bab\n"; echo.String() != want {
		t.Errorf("echo %q, want %q", echo.String(), want)
	}
	if h := lr.History(); len(h) != 1 || h[0] != "ab" {
		t.Errorf("history %q", h)
	}
}

func TestLineHistoryBounded(t *testing.T) {
	var in strings.Builder
	for i := 0; i < HistorySize+10; i++ {
		in.WriteString(strings.Repeat("x", i%7+1) + string(rune('a'+i%26)) + "\n")
	}
	lr := NewLineReader(strings.NewReader(in.String()), nil)
	for {
		if _, err := lr.ReadLine(); err != nil {
			break
		}
	}
	if n := len(lr.History()); n != HistorySize {
		t.Errorf("history holds %d lines, want %d", n, HistorySize)
	}
}
