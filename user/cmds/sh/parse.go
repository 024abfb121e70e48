package sh

import (
	"errors"
	"fmt"
	"strings"
)

// A Command is one program invocation: its words after quote removal
// and expansion, the program name first.
type Command []string

// A Pipeline is commands joined by "|".
type Pipeline []Command

// Parse splits a command line into pipelines separated by ";".
//
// Words are separated by blanks (space, tab). Quoting follows the POSIX
// shell: '…' keeps everything literally; "…" keeps everything but "\" before
// one of "\$`" or a newline, and "$" expansions; a "\" outside quotes makes
// the next character literal (a "\" ending the line is kept). "$?", "$NAME"
// and "${NAME}" are expanded with lookup (outside single quotes); an unset
// name expands to nothing, and an unquoted expansion never splits into
// several words. "#" at the start of a word begins a comment. "|", ";" and
// "&" are operators unless quoted; "&" ends a statement like ";" but runs it
// in the background (Background reports which). Empty statements ("a;;b", a
// trailing ";") are skipped; an empty command in a pipeline, or before "&",
// is a syntax error.
func Parse(line string, lookup func(name string) string) ([]Pipeline, error) {
	p := parser{in: line, lookup: lookup}
	var out []Pipeline
	for {
		pipe, err := p.next()
		if err != nil || pipe == nil {
			return out, err
		}
		out = append(out, pipe)
	}
}

// Background parses line like Parse and reports, for each pipeline, whether
// it ends with "&".
func Background(line string, lookup func(name string) string) ([]Pipeline, []bool, error) {
	p := parser{in: line, lookup: lookup}
	var out []Pipeline
	var bg []bool
	for {
		pipe, err := p.next()
		if err != nil || pipe == nil {
			return out, bg, err
		}
		out = append(out, pipe)
		bg = append(bg, p.lastBg)
	}
}

// ErrSyntax is wrapped by every error Parse returns.
var ErrSyntax = errors.New("syntax error")

type parser struct {
	in     string
	pos    int
	lookup func(string) string

	word    strings.Builder
	inWord  bool // a word has started, even if empty (as in "")
	cmd     Command
	pipe    Pipeline
	result  []Pipeline
	bg      []bool // per result: ended by "&" (run in the background)
	lastBg  bool   // the statement next returned last ended with "&"
	pending bool   // a "|" waits for its right-hand command
}

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrSyntax, fmt.Sprintf(format, args...))
}

func (p *parser) endWord() {
	if p.inWord {
		p.cmd = append(p.cmd, p.word.String())
		p.word.Reset()
		p.inWord = false
	}
}

// endCommand finishes the current command at an operator (or the end).
func (p *parser) endCommand(op byte) error {
	p.endWord()
	if len(p.cmd) == 0 {
		if op == '|' || p.pending {
			return p.errorf("missing command near '|'")
		}
		if op == '&' {
			return p.errorf("missing command before '&'")
		}
		return nil // empty statement
	}
	p.pipe = append(p.pipe, p.cmd)
	p.cmd = nil
	p.pending = op == '|'
	if op != '|' {
		p.result = append(p.result, p.pipe)
		p.bg = append(p.bg, op == '&')
		p.pipe = nil
	}
	return nil
}

// next parses up to the end of the next non-empty statement and returns
// it, or nil at the end of the line. Expansions happen as it goes, so a
// shell runs each statement before parsing the next one ("a; echo $?").
func (p *parser) next() (Pipeline, error) {
	for p.pos < len(p.in) && len(p.result) == 0 {
		c := p.in[p.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			p.endWord()
			p.pos++
		case c == '#' && !p.inWord:
			p.pos = len(p.in)
		case c == '|' || c == ';' || c == '&':
			if err := p.endCommand(c); err != nil {
				return nil, err
			}
			p.pos++
		case c == '\'':
			end := strings.IndexByte(p.in[p.pos+1:], '\'')
			if end < 0 {
				return nil, p.errorf("unterminated '")
			}
			p.inWord = true
			p.word.WriteString(p.in[p.pos+1 : p.pos+1+end])
			p.pos += end + 2
		case c == '"':
			if err := p.double(); err != nil {
				return nil, err
			}
		case c == '\\':
			p.inWord = true
			if p.pos+1 < len(p.in) {
				p.word.WriteByte(p.in[p.pos+1])
				p.pos += 2
			} else {
				p.word.WriteByte('\\')
				p.pos++
			}
		case c == '$':
			p.inWord = true
			p.dollar()
		default:
			p.inWord = true
			p.word.WriteByte(c)
			p.pos++
		}
	}
	if p.pos >= len(p.in) && len(p.result) == 0 {
		if err := p.endCommand(0); err != nil {
			return nil, err
		}
	}
	if len(p.result) == 0 {
		return nil, nil
	}
	pipe := p.result[0]
	p.result = p.result[1:]
	p.lastBg = p.bg[0]
	p.bg = p.bg[1:]
	return pipe, nil
}

// double reads a "…" string starting at p.pos.
func (p *parser) double() error {
	p.inWord = true
	p.pos++
	for p.pos < len(p.in) {
		switch c := p.in[p.pos]; c {
		case '"':
			p.pos++
			return nil
		case '\\':
			if p.pos+1 < len(p.in) && strings.IndexByte("\\$`\"\n", p.in[p.pos+1]) >= 0 {
				p.word.WriteByte(p.in[p.pos+1])
				p.pos += 2
				continue
			}
			p.word.WriteByte(c)
			p.pos++
		case '$':
			p.dollar()
		default:
			p.word.WriteByte(c)
			p.pos++
		}
	}
	return p.errorf("unterminated \"")
}

// dollar expands "$?", "$NAME" or "${NAME}" at p.pos; a "$" that starts
// none of them is literal.
func (p *parser) dollar() {
	rest := p.in[p.pos+1:]
	name, n := "", 0
	switch {
	case p.lookup == nil:
	case strings.HasPrefix(rest, "?"):
		name, n = "?", 1
	case strings.HasPrefix(rest, "{"):
		if end := strings.IndexByte(rest, '}'); end > 1 && isName(rest[1:end]) {
			name, n = rest[1:end], end+1
		}
	default:
		for n < len(rest) && isNameByte(rest[n], n == 0) {
			n++
		}
		name = rest[:n]
	}
	if name == "" {
		p.word.WriteByte('$')
		p.pos++
		return
	}
	p.word.WriteString(p.lookup(name))
	p.pos += 1 + n
}

func isNameByte(c byte, first bool) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || !first && '0' <= c && c <= '9'
}

func isName(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isNameByte(s[i], i == 0) {
			return false
		}
	}
	return s != ""
}
