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
	esc       = 0x1b // starts an escape sequence: up and down arrows walk the history, others are ignored
	del       = 0x7f // what most terminals send for Backspace
)

// HistorySize is how many lines a LineReader remembers.
const HistorySize = 500

// LineReader reads lines from a raw console: nothing echoes or edits
// input for us, so it echoes what it reads to echo (if not nil) and
// handles erasing itself. It reads one byte per Read call, so input after
// the line stays unread for the programs the shell starts.
//
// It keeps the lines read (not empty ones, nor a repeat of the previous
// one) as a history: the up arrow (ESC [ A, or ESC O A) replaces the line
// being typed by the previous history line, the down arrow by the next
// one, and past the newest, by what was being typed; the recalled line
// can then be edited like a typed one.
type LineReader struct {
	in     io.Reader
	echo   io.Writer
	buf    []byte
	lastCR bool   // the previous line ended with CR: skip an LF right after it
	escape int    // 1 after ESC, 2 inside "ESC [" until its final byte, 3 after "ESC O"
	params []byte // the parameter bytes of the escape sequence so far

	history []string
	pos     int    // index in history of the line shown; len(history): the new line
	draft   []byte // the new line, kept while walking the history
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

// echoByte echoes a typed byte as it is (no string made for it).
func (l *LineReader) echoByte(b []byte) {
	if l.echo != nil {
		l.echo.Write(b)
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

// History returns the lines remembered, oldest first.
func (l *LineReader) History() []string { return append([]string(nil), l.history...) }

// remember adds a line read to the history.
func (l *LineReader) remember(line string) {
	if line == "" || (len(l.history) > 0 && l.history[len(l.history)-1] == line) {
		return
	}
	l.history = append(l.history, line)
	if len(l.history) > HistorySize {
		l.history = l.history[len(l.history)-HistorySize:]
	}
}

// show replaces the line on the screen and in the buffer by s.
func (l *LineReader) show(s []byte) {
	for l.erase() {
	}
	l.buf = append(l.buf, s...)
	l.write(string(s))
}

// recall moves delta lines through the history (-1: older).
func (l *LineReader) recall(delta int) {
	to := l.pos + delta
	if to < 0 || to > len(l.history) {
		return
	}
	if l.pos == len(l.history) {
		l.draft = append(l.draft[:0], l.buf...)
	}
	l.pos = to
	if to == len(l.history) {
		l.show(l.draft)
		return
	}
	l.show([]byte(l.history[to]))
}

// escapeByte takes the next byte of an escape sequence: the arrows' final
// bytes recall history lines; everything else is ignored.
func (l *LineReader) escapeByte(c byte) {
	switch {
	case l.escape == 1 && c == '[':
		l.escape, l.params = 2, l.params[:0]
		return
	case l.escape == 1 && c == 'O':
		l.escape, l.params = 3, l.params[:0] // SS3: one more byte
		return
	case l.escape == 2 && (c < 0x40 || c > 0x7e):
		l.params = append(l.params, c)
		return
	}
	if l.escape >= 2 && len(l.params) == 0 {
		switch c {
		case 'A':
			l.recall(-1)
		case 'B':
			l.recall(+1)
		}
	}
	l.escape = 0
}

// ReadLine returns the next line without its terminator (CR, LF or CR LF).
// At the end of input it returns what was typed so far, if anything, and
// io.EOF on the next call; Ctrl-D on an empty line is the end of input.
func (l *LineReader) ReadLine() (string, error) {
	line, err := l.readLine()
	if err == nil {
		l.remember(line)
	}
	l.pos, l.draft = len(l.history), l.draft[:0]
	return line, err
}

func (l *LineReader) readLine() (string, error) {
	var b [1]byte
	l.buf = l.buf[:0]
	l.pos = len(l.history)
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
			l.escapeByte(c)
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
			l.echoByte(b[:]) // raw bytes: UTF-8 arrives a byte at a time
		}
	}
}
