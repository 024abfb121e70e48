package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"

	"gojos/tools/console"
)

// options are consoletest's parsed flags.
type options struct {
	cfg     console.Config
	timeout time.Duration // default per-step timeout
	total   time.Duration // limit for the whole run; 0 = none
	vars    map[string]string
	scripts []string // script files; "-" is stdin
	inline  []string // -e lines, run after the scripts
	verbose bool     // echo the guest's output live
}

// run parses the scripts, boots QEMU and runs every step. Progress goes to
// stdout; a failure returns an error holding the step and the transcript.
func run(ctx context.Context, o options, stdin io.Reader, stdout, stderr io.Writer) error {
	defined := map[string]bool{}
	for k := range o.vars {
		defined[k] = true
	}
	var steps []step
	add := func(name string, r io.Reader) error {
		// Later scripts may use variables captured by earlier ones.
		for _, st := range steps {
			for _, c := range st.captures {
				defined[c] = true
			}
			if st.op == "set" {
				defined[st.name] = true
			}
		}
		s, err := parseScript(name, r, defined)
		steps = append(steps, s...)
		return err
	}
	for _, f := range o.scripts {
		var err error
		if f == "-" {
			err = add("<stdin>", stdin)
		} else {
			var fh *os.File
			if fh, err = os.Open(f); err == nil {
				err = add(f, fh)
				fh.Close()
			}
		}
		if err != nil {
			return err
		}
	}
	if len(o.inline) > 0 {
		if err := add("-e", strings.NewReader(strings.Join(o.inline, "\n"))); err != nil {
			return err
		}
	}
	if len(steps) == 0 {
		return errors.New("empty script: give a script file, - for stdin, or -e lines")
	}

	if o.total > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.total)
		defer cancel()
	}
	if o.verbose {
		o.cfg.Log = stderr
	}
	o.cfg.Timeout = o.timeout
	start := time.Now()
	sess, err := console.Start(ctx, o.cfg)
	if err != nil {
		return err
	}
	defer sess.Close()
	fmt.Fprintf(stdout, "consoletest: started %s\n", console.QuoteCommand(sess.Command()))

	vars := map[string]string{}
	for k, v := range o.vars {
		vars[k] = v
	}
	timeout := o.timeout
	for i, st := range steps {
		t0 := time.Now()
		note, err := runStep(ctx, sess, st, vars, &timeout)
		if err != nil {
			why := ""
			if ctx.Err() != nil {
				why = fmt.Sprintf("interrupted: %v (--total, Ctrl-C, or the Bazel test timeout's SIGTERM)\n", context.Cause(ctx))
			}
			return fmt.Errorf("step %d of %d failed: %s\n%s%w", i+1, len(steps), st, why, err)
		}
		fmt.Fprintf(stdout, "consoletest: ok %s (%.2fs)%s\n", st, time.Since(t0).Seconds(), note)
	}
	fmt.Fprintf(stdout, "consoletest: PASS, %d steps in %.2fs\n", len(steps), time.Since(start).Seconds())
	return nil
}

// runStep runs one step. It returns a note for the progress line.
func runStep(ctx context.Context, sess *console.Session, st step, vars map[string]string, timeout *time.Duration) (string, error) {
	d := *timeout
	switch st.op {
	case "timeout":
		*timeout = st.dur
	case "sleep":
		select {
		case <-time.After(st.dur):
		case <-ctx.Done():
			return "", ctx.Err()
		}
	case "set":
		vars[st.name] = expand(st.arg, vars, identity, false)
		return fmt.Sprintf(" %s=%q", st.name, vars[st.name]), nil
	case "send":
		return "", sess.Send(expand(st.arg, vars, identity, false))
	case "sendraw":
		return "", sess.SendRaw(st.arg)
	case "expect":
		re, err := regexp.Compile(expand(st.arg, vars, regexp.QuoteMeta, false))
		if err != nil {
			return "", err
		}
		m, err := sess.ExpectRegexp(re, d)
		if err != nil {
			return "", err
		}
		var note strings.Builder
		for i, name := range st.captures {
			if name != "_" {
				vars[name] = m[i+1]
				fmt.Fprintf(&note, " %s=%q", name, m[i+1])
			}
		}
		return note.String(), nil
	case "expect-exit":
		return "", sess.ExpectGuestExit(st.code, d)
	case "expect-qemu-exit":
		code, err := sess.ExpectExit(d)
		if err == nil && code != st.code {
			msg := fmt.Sprintf("want QEMU exit status %d, got %s", st.code, console.DescribeExit(code))
			return "", &console.Error{Op: "exit", Msg: msg, Command: sess.Command(),
				Transcript: sess.Transcript(), SearchedFrom: -1, Stderr: sess.Stderr()}
		}
		return "", err
	default:
		return "", fmt.Errorf("internal error: unknown op %q", st.op)
	}
	return "", nil
}

func identity(s string) string { return s }
