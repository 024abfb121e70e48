package sh

import (
	"io"
	"unicode/utf8"
)

// Control bytes the line editor understands.
const (
	ctrlC     = 0x03 // discard the line
	ctrlD     = 0x04 // end of input, on an empty line
	backspace = 0x08
	ctrlU     = 0x15 // erase the line
	ctrlW     = 0x17 // erase the last word
	esc       = 0x1b // starts an escape sequence (arrow keys …): ignored
	del       = 0x7f // what most terminals send for Backspace
)

// LineReader reads lines from a raw console: nothing echoes or edits
// input for us, so it echoes what it reads to echo (if not nil) and
// handles erasing itself. It reads one byte per Read call, so input after
// the line stays unread for the programs the shell starts.
type LineReader struct {
	in     io.Reader
	echo   io.Writer
	buf    []byte
	lastCR bool // the previous line ended with CR: skip an LF right after it
	escape int  // 1 after ESC, 2 inside "ESC [" until its final byte, 3 after "ESC O"
}

// NewLineReader returns a line editor reading in and echoing to echo.
func NewLineReader(in io.Reader, echo io.Writer) *LineReader {
	return &LineReader{in: in, echo: echo}
}

func (l *LineReader) write(s string) {
	if l.echo != nil {
		io.WriteString(l.echo, s)
	}
}

// erase removes the last character (a whole UTF-8 sequence) from the line
// and from the screen; it reports whether there was one.
func (l *LineReader) erase() bool {
	if len(l.buf) == 0 {
		return false
	}
	_, n := utf8.DecodeLastRune(l.buf)
	l.buf = l.buf[:len(l.buf)-n]
	l.write("\b \b")
	return true
}

// ReadLine returns the next line without its terminator (CR, LF or CR LF).
// At the end of input it returns what was typed so far, if anything, and
// io.EOF on the next call; Ctrl-D on an empty line is the end of input.
func (l *LineReader) ReadLine() (string, error) {
	var b [1]byte
	l.buf = l.buf[:0]
	for {
		n, err := l.in.Read(b[:])
		if n == 0 {
			if err == nil {
				continue
			}
			if len(l.buf) > 0 && err == io.EOF {
				return string(l.buf), nil
			}
			return "", err
		}
		c := b[0]
		if l.lastCR && c == '\n' {
			l.lastCR = false
			continue
		}
		l.lastCR = false
		if l.escape > 0 {
			switch {
			case l.escape == 1 && c == '[':
				l.escape = 2
			case l.escape == 1 && c == 'O':
				l.escape = 3 // SS3: one more byte
			case l.escape == 2 && (c < 0x40 || c > 0x7e):
			default:
				l.escape = 0
			}
			continue
		}
		switch {
		case c == '\r' || c == '\n':
			l.lastCR = c == '\r'
			l.write("\n")
			return string(l.buf), nil
		case c == del || c == backspace:
			l.erase()
		case c == ctrlU:
			for l.erase() {
			}
		case c == ctrlW:
			for len(l.buf) > 0 && l.buf[len(l.buf)-1] == ' ' {
				l.erase()
			}
			for len(l.buf) > 0 && l.buf[len(l.buf)-1] != ' ' {
				l.erase()
			}
		case c == ctrlC:
			l.write("^C\n")
			l.buf = l.buf[:0]
			return "", nil
		case c == ctrlD:
			if len(l.buf) == 0 {
				return "", io.EOF
			}
		case c == esc:
			l.escape = 1
		case c == '\t' || c >= 0x20:
			l.buf = append(l.buf, c)
			l.write(string(b[:])) // raw bytes: UTF-8 arrives a byte at a time
		}
	}
}
