// Package dmesg is the dmesg command: it prints the kernel log through
// syslog(2), as util-linux's dmesg does:
//
//	dmesg          print the log: "[    1.234567] message"
//	dmesg -r       raw: with the "<level>" prefixes
//	dmesg -c       print, then clear the log
//	dmesg -C       clear the log
//	dmesg -n N     echo to the console only lines of levels below N (1-8)
//	dmesg -D, -E   disable, enable echoing to the console
//
// Clearing and the console settings are privileged operations; the kernel
// checks (EPERM).
package dmesg

import (
	"fmt"
	"io"
	"strconv"
	"syscall"

	"gojos/kern/klog"
	"gojos/user/internal/cmdutil"
)

// Options is what the command line asks for.
type Options struct {
	Raw, Clear, ClearOnly, ConsoleOff, ConsoleOn bool
	Level                                        int // 0: unchanged
}

// ParseArgs parses dmesg's options (single letters, which may be joined:
// -rc; -n takes the next argument or the rest of its word).
func ParseArgs(args []string) (Options, error) {
	var o Options
	for i := 0; i < len(args); i++ {
		a := args[i]
		if len(a) < 2 || a[0] != '-' {
			return o, fmt.Errorf("unexpected argument %q", a)
		}
		for j := 1; j < len(a); j++ {
			switch a[j] {
			case 'r':
				o.Raw = true
			case 'c':
				o.Clear = true
			case 'C':
				o.ClearOnly = true
			case 'D':
				o.ConsoleOff = true
			case 'E':
				o.ConsoleOn = true
			case 'n':
				v := a[j+1:]
				if v == "" {
					if i+1 >= len(args) {
						return o, fmt.Errorf("-n needs a level")
					}
					i++
					v = args[i]
				}
				n, err := strconv.Atoi(v)
				if err != nil || n < 1 || n > 8 {
					return o, fmt.Errorf("bad console level %q (want 1-8)", v)
				}
				o.Level = n
				j = len(a)
			default:
				return o, fmt.Errorf("unknown option -%c", a[j])
			}
		}
	}
	return o, nil
}

// Klogctl is syslog(2); a variable for tests.
var Klogctl = syscall.Klogctl

// Run is the dmesg command.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	o, err := ParseArgs(args[1:])
	if err != nil {
		fmt.Fprintf(stderr, "dmesg: %v\nusage: dmesg [-r] [-c | -C] [-n level] [-D | -E]\n", err)
		return cmdutil.Usage
	}
	ctl := func(action int, what string) error {
		if _, err := Klogctl(action, nil); err != nil {
			return fmt.Errorf("%s: %v", what, err)
		}
		return nil
	}
	switch {
	case o.Level != 0:
		return consoleLevel(o.Level)
	case o.ConsoleOff:
		return ctl(klog.ActionConsoleOff, "disabling the console")
	case o.ConsoleOn:
		return ctl(klog.ActionConsoleOn, "enabling the console")
	case o.ClearOnly:
		return ctl(klog.ActionClear, "clearing the log")
	}
	size, err := Klogctl(klog.ActionSizeBuffer, nil)
	if err != nil {
		return fmt.Errorf("reading the log size: %v", err)
	}
	buf := make([]byte, max(2*size, 4096))
	action := klog.ActionReadAll
	if o.Clear {
		action = klog.ActionReadClear
	}
	n, err := Klogctl(action, buf)
	if err != nil {
		return fmt.Errorf("reading the log: %v", err)
	}
	text := string(buf[:n])
	if !o.Raw {
		text = klog.StripSyslog(text)
	}
	_, err = io.WriteString(stdout, text)
	return err
}

// consoleLevel is SYSLOG_ACTION_CONSOLE_LEVEL: the level is the third
// argument (the length), which Go's Klogctl does not let us set.
func consoleLevel(level int) error {
	if _, _, e := syscall.Syscall(syscall.SYS_SYSLOG, klog.ActionConsoleLevel, 0, uintptr(level)); e != 0 {
		return fmt.Errorf("setting the console level: %v", e)
	}
	return nil
}
