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
