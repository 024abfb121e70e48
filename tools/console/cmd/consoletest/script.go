package main

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// A step is one command of a console script.
type step struct {
	file string
	line int
	text string // the command as written, for messages

	op       string        // see parseLine
	arg      string        // regexp, text or variable value (before expansion)
	captures []string      // expect: variable names bound to groups 1..n; "_" skips
	name     string        // set: variable name
	dur      time.Duration // timeout, sleep; expect/expect-exit: 0 = default
	code     int           // expect-exit: guest status; expect-qemu-exit: raw status
}

func (s step) String() string { return fmt.Sprintf("%s:%d: %s", s.file, s.line, s.text) }

var (
	identRE   = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	varRefRE  = regexp.MustCompile(`\$\$|\$\{[A-Za-z_][A-Za-z0-9_]*\}`)
	captureRE = regexp.MustCompile(`^(.*?) => ((?:[A-Za-z_][A-Za-z0-9_]*)(?: [A-Za-z_][A-Za-z0-9_]*)*)\s*$`)
)

// parseScript reads a script; defined holds variables set before it runs
// (from --var), so that references can be checked before QEMU starts.
func parseScript(file string, r io.Reader, defined map[string]bool) ([]step, error) {
	known := map[string]bool{}
	for k := range defined {
		known[k] = true
	}
	var steps []step
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	n := 0
	for sc.Scan() {
		n++
		text := strings.TrimSuffix(sc.Text(), "\r")
		if t := strings.TrimSpace(text); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		st, err := parseLine(text)
		st.file, st.line, st.text = file, n, strings.TrimLeft(text, " \t")
		if err == nil {
			err = checkVars(st, known)
		}
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", file, n, err)
		}
		for _, c := range st.captures {
			known[c] = true
		}
		if st.op == "set" {
			known[st.name] = true
		}
		steps = append(steps, st)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	return steps, nil
}

// parseLine parses one command. The argument is everything after the first
// space, so trailing spaces count (write \x20 where an editor might strip
// them).
func parseLine(text string) (step, error) {
	text = strings.TrimLeft(text, " \t")
	op, arg, _ := strings.Cut(text, " ")
	st := step{op: op}
	switch op {
	case "expect":
		if m := captureRE.FindStringSubmatch(arg); m != nil {
			arg, st.captures = m[1], strings.Fields(m[2])
		}
		if arg == "" {
			return st, fmt.Errorf("expect needs a regular expression")
		}
		st.arg = arg
		// Check the syntax now, with every variable replaced by a literal.
		re, err := regexp.Compile(expand(arg, nil, regexp.QuoteMeta, true))
		if err != nil {
			return st, fmt.Errorf("bad regular expression: %v", err)
		}
		if len(st.captures) > re.NumSubexp() {
			return st, fmt.Errorf("%d variables but only %d capture groups in /%s/", len(st.captures), re.NumSubexp(), arg)
		}
	case "send":
		st.arg = arg
	case "sendraw":
		s, err := strconv.Unquote(strings.TrimSpace(arg))
		if err != nil {
			return st, fmt.Errorf("sendraw needs a Go-quoted string such as \"\\x03\": %v", err)
		}
		st.arg = s
	case "set":
		name, val, _ := strings.Cut(arg, " ")
		if !identRE.MatchString(name) {
			return st, fmt.Errorf("set needs a variable name, got %q", name)
		}
		st.name, st.arg = name, val
	case "timeout", "sleep":
		d, err := time.ParseDuration(strings.TrimSpace(arg))
		if err != nil || d <= 0 && op == "timeout" {
			return st, fmt.Errorf("%s needs a positive duration such as 30s, got %q", op, arg)
		}
		st.dur = d
	case "expect-exit", "expect-qemu-exit":
		f := strings.Fields(arg)
		if len(f) == 0 && op == "expect-exit" {
			f = []string{"0"}
		}
		if len(f) != 1 {
			return st, fmt.Errorf("usage: %s <status>", op)
		}
		c, err := strconv.Atoi(f[0])
		if err != nil || c < 0 || op == "expect-exit" && c > 127 || c > 255 {
			return st, fmt.Errorf("bad exit status %q", f[0])
		}
		st.code = c
	default:
		return st, fmt.Errorf("unknown command %q (want expect, send, sendraw, set, timeout, sleep, expect-exit, expect-qemu-exit)", op)
	}
	return st, nil
}

// checkVars reports a ${NAME} that no earlier step or --var defines.
func checkVars(st step, known map[string]bool) error {
	if st.op != "expect" && st.op != "send" && st.op != "set" {
		return nil
	}
	for _, ref := range varRefRE.FindAllString(st.arg, -1) {
		if ref == "$$" {
			continue
		}
		if name := ref[2 : len(ref)-1]; !known[name] {
			return fmt.Errorf("${%s} is not set by --var or by an earlier step", name)
		}
	}
	return nil
}

// expand replaces ${NAME} by quote(value) and $$ by $. With placeholder set,
// every variable becomes quote("x") (used to check syntax before running).
func expand(s string, vars map[string]string, quote func(string) string, placeholder bool) string {
	return varRefRE.ReplaceAllStringFunc(s, func(ref string) string {
		if ref == "$$" {
			return "$"
		}
		if placeholder {
			return quote("x")
		}
		return quote(vars[ref[2:len(ref)-1]])
	})
}
