// Command consoletest boots a gojos disk image in QEMU and runs a console
// script against its serial port: it waits for regular expressions in the
// output, types lines, captures values into variables and checks how the
// guest ends QEMU. It exits 0 when every step passes; otherwise it prints the
// failing step, the reason and the whole transcript to stderr and exits 1.
//
//	consoletest --image jos.img [flags] script.txt ...
//	consoletest --image jos.img -e 'expect gojos' -e 'expect-exit 0'
//
// Script commands, one per line ("#" starts a comment line):
//
//	expect REGEXP [=> NAME...]  wait for REGEXP after the previous match;
//	                            bind capture groups 1.. to NAMEs ("_" skips)
//	send TEXT                   type TEXT and the line ending
//	sendraw "GO-QUOTED"         write bytes as they are, e.g. "\x03"
//	set NAME TEXT               set a variable
//	timeout DURATION            default timeout of the following steps
//	sleep DURATION              pause
//	expect-exit [STATUS]        QEMU ends by the guest writing STATUS (default
//	                            0) to the debug-exit port
//	expect-qemu-exit CODE       QEMU ends with raw exit status CODE
//
// ${NAME} expands in expect (regexp-quoted), send and set; $$ is a "$".
// See docs/testing.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"gojos/tools/console"
)

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ", ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	var (
		o                   options
		eol                 string
		vars, inline, qargs listFlag
	)
	flag.StringVar(&o.cfg.QEMU, "qemu", console.DefaultQEMU, "QEMU binary (path or name on PATH)")
	flag.StringVar(&o.cfg.Image, "image", "", "raw disk image to boot (required)")
	flag.StringVar(&o.cfg.Memory, "memory", console.DefaultMemory, "guest RAM (QEMU -m)")
	flag.DurationVar(&o.timeout, "timeout", console.DefaultTimeout, "default timeout of each step (script: timeout DURATION)")
	flag.DurationVar(&o.total, "total", 0, "limit for the whole run (0: none)")
	flag.StringVar(&eol, "eol", "lf", "line ending sent after each send: lf, cr or crlf")
	flag.Var(&vars, "var", "NAME=VALUE: predefine a script variable (repeatable)")
	flag.Var(&inline, "e", "a script line, run after the script files (repeatable)")
	flag.Var(&qargs, "qemu-arg", "extra QEMU argument (repeatable)")
	flag.BoolVar(&o.verbose, "v", false, "echo the guest's output to stderr as it arrives")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: consoletest --image jos.img [flags] [script ...|-] [-e line ...]\n")
		flag.PrintDefaults()
	}
	flag.Parse()

	o.scripts, o.inline, o.cfg.ExtraArgs = flag.Args(), inline, qargs
	o.cfg.LineEnding = map[string]string{"lf": "\n", "cr": "\r", "crlf": "\r\n"}[eol]
	o.vars = map[string]string{}
	for _, v := range vars {
		name, val, ok := strings.Cut(v, "=")
		if !ok || !identRE.MatchString(name) {
			usage("--var wants NAME=VALUE, got %q", v)
		}
		o.vars[name] = val
	}
	switch {
	case o.cfg.LineEnding == "":
		usage("--eol must be lf, cr or crlf, got %q", eol)
	case o.cfg.Image == "":
		usage("--image is required")
	case o.timeout <= 0:
		usage("--timeout must be positive")
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "consoletest: FAIL: %v\n", err)
		stop()
		os.Exit(1)
	}
}

func usage(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "consoletest: "+format+"\n", args...)
	flag.Usage()
	os.Exit(2)
}
