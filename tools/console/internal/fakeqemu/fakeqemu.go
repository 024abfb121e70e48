// Package fakeqemu lets a Go test binary stand in for qemu-system-i386, so the
// console driver and its CLI can be tested on the host without QEMU.
//
// A test's TestMain calls MaybeRun first. When the environment variable named
// by EnvVar is set, the process behaves as a fake QEMU and exits; otherwise
// MaybeRun returns and the tests run normally. The variable holds a program,
// one step per line:
//
//	out:TEXT    write TEXT (Go string escapes allowed) to stdout
//	err:TEXT    write TEXT to stderr
//	sleep:DUR   sleep for a time.ParseDuration value
//	args        write each command-line argument as "arg:VALUE\r\n"
//	echo        read stdin lines, answer each with "echo:LINE\r\n" (LINE
//	            without its "\n" but with any "\r");
//	            "quit N" exits like isa-debug-exit with guest value N;
//	            EOF exits with status 0
//	child       start a hanging child in the same process group and print
//	            "child:PID\r\n"
//	hang        sleep forever
//	exit:N      exit with raw status N
//	guest:N     exit as if the guest wrote N to the debug-exit port: (N<<1)|1
//
// Falling off the end of the program exits with status 0.
package fakeqemu

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// EnvVar names the environment variable that holds the fake's program.
const EnvVar = "GOJOS_FAKE_QEMU"

// Env returns the environment entry that makes a test binary act as a fake
// QEMU running the given steps.
func Env(steps ...string) string {
	return EnvVar + "=" + strings.Join(steps, "\n")
}

// MaybeRun acts as a fake QEMU and exits if EnvVar is set; otherwise it
// returns immediately.
func MaybeRun() {
	prog, ok := os.LookupEnv(EnvVar)
	if !ok {
		return
	}
	os.Exit(run(prog))
}

func run(prog string) int {
	for _, step := range strings.Split(prog, "\n") {
		op, arg, _ := strings.Cut(step, ":")
		switch op {
		case "":
		case "out":
			os.Stdout.WriteString(unquote(arg))
		case "err":
			os.Stderr.WriteString(unquote(arg))
		case "sleep":
			d, err := time.ParseDuration(arg)
			if err != nil {
				return fail(err)
			}
			time.Sleep(d)
		case "args":
			for _, a := range os.Args[1:] {
				fmt.Fprintf(os.Stdout, "arg:%s\r\n", a)
			}
		case "echo":
			return echo()
		case "child":
			if err := child(); err != nil {
				return fail(err)
			}
		case "hang":
			for {
				time.Sleep(time.Hour)
			}
		case "exit", "guest":
			n, err := strconv.Atoi(arg)
			if err != nil {
				return fail(err)
			}
			if op == "guest" {
				n = n<<1 | 1
			}
			return n
		default:
			return fail(fmt.Errorf("unknown step %q", step))
		}
	}
	return 0
}

func unquote(s string) string {
	u, err := strconv.Unquote(`"` + strings.ReplaceAll(s, `"`, `\"`) + `"`)
	if err != nil {
		return s
	}
	return u
}

func echo() int {
	r := bufio.NewReader(os.Stdin)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return 0
		}
		line = strings.TrimSuffix(line, "\n")
		if v, ok := strings.CutPrefix(strings.TrimRight(line, "\r"), "quit "); ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				return fail(err)
			}
			return n<<1 | 1
		}
		fmt.Fprintf(os.Stdout, "echo:%s\r\n", line)
	}
}

func child() error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), EnvVar+"=hang")
	// The child holds the output pipes open, as a stray helper of a real
	// QEMU would.
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stdout, "child:%d\r\n", cmd.Process.Pid)
	return nil
}

func fail(err error) int {
	fmt.Fprintf(os.Stderr, "fakeqemu: %v\n", err)
	return 2
}
