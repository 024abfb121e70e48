package sh

import (
	"fmt"
	"strconv"
	"syscall"
)

// ulimitRes describes a resource ulimit knows: its flag, name, rlimit
// number and unit in bytes (KiB for sizes, 1 for counts).
type ulimitRes struct {
	flag string
	name string
	res  int
	unit uint64
}

var ulimitResources = []ulimitRes{
	{"-d", "data seg size (kbytes)", syscall.RLIMIT_DATA, 1024},
	{"-n", "open files", syscall.RLIMIT_NOFILE, 1},
	{"-s", "stack size (kbytes)", syscall.RLIMIT_STACK, 1024},
	{"-v", "virtual memory (kbytes)", syscall.RLIMIT_AS, 1024},
}

// rlimInfinity is RLIM_INFINITY as Go's syscall.Rlimit holds it.
const rlimInfinity = ^uint64(0)

// ulimit shows or sets the shell's resource limits, which the programs it
// starts inherit: "ulimit -a", "ulimit -v" (show), "ulimit -v 65536" or
// "ulimit -v unlimited" (set soft and hard, as bash does without -S/-H).
func (s *Shell) ulimit(args []string) int {
	show := func(r ulimitRes) bool {
		var rl syscall.Rlimit
		if err := syscall.Getrlimit(r.res, &rl); err != nil {
			fmt.Fprintf(s.Stderr, "sh: ulimit: %s: %v\n", r.name, err)
			return false
		}
		v := "unlimited"
		if rl.Cur != rlimInfinity {
			v = strconv.FormatUint(rl.Cur/r.unit, 10)
		}
		fmt.Fprintf(s.Stdout, "%-26s(%s) %s\n", r.name, r.flag, v)
		return true
	}
	if len(args) == 2 && args[1] == "-a" {
		for _, r := range ulimitResources {
			if !show(r) {
				return 1
			}
		}
		return 0
	}
	flag := "-v" // like bash's default of -f, the one limit users reach for
	rest := args[1:]
	if len(rest) > 0 && len(rest[0]) == 2 && rest[0][0] == '-' {
		flag, rest = rest[0], rest[1:]
	}
	var r *ulimitRes
	for i := range ulimitResources {
		if ulimitResources[i].flag == flag {
			r = &ulimitResources[i]
		}
	}
	if r == nil || len(rest) > 1 {
		fmt.Fprintln(s.Stderr, "sh: ulimit: usage: ulimit [-a | -d|-n|-s|-v [N|unlimited]]")
		return 2
	}
	if len(rest) == 0 {
		if !show(*r) {
			return 1
		}
		return 0
	}
	v := rlimInfinity
	if rest[0] != "unlimited" {
		n, err := strconv.ParseUint(rest[0], 10, 64)
		if err != nil || n > rlimInfinity/r.unit {
			fmt.Fprintf(s.Stderr, "sh: ulimit: %s: invalid number\n", rest[0])
			return 1
		}
		v = n * r.unit
	}
	if err := syscall.Setrlimit(r.res, &syscall.Rlimit{Cur: v, Max: v}); err != nil {
		fmt.Fprintf(s.Stderr, "sh: ulimit: %s: %v\n", r.name, err)
		return 1
	}
	return 0
}
