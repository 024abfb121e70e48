package bench

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Record is one line of /proc/tstamp (kern/tstamp.Format).
type Record struct {
	T    time.Duration // since power-on (the TSC's zero)
	Kind byte          // 'M' point, 'E' system call entry, 'X' return
	Pid  int
	Nr   int
	Val  int // 'E': the first argument; 'X': the return value
	Name string
}

// Linux i386 system call numbers the breakdowns look for.
const (
	sysRead      = 3
	sysExecve    = 11
	sysClone     = 120
	sysExitGroup = 252
	sysGojosCtl  = 0x1005
	pageFault    = 0x10000 // kern/tstamp.PageFault

	cloneThread = 0x10000 // CLONE_THREAD
)

// ParseTimeline reads /proc/tstamp's text; lines that are not records
// (the header, the shell's echo around it) are skipped.
func ParseTimeline(text string) ([]Record, error) {
	var recs []Record
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		f := strings.Fields(strings.TrimSpace(sc.Text()))
		if len(f) < 5 || len(f[1]) != 1 {
			continue
		}
		ns, err := strconv.ParseUint(f[0], 10, 64)
		if err != nil {
			continue
		}
		r := Record{T: time.Duration(ns), Kind: f[1][0]}
		switch r.Kind {
		case 'M':
			r.Name = strings.Join(f[4:], " ")
		case 'E', 'X':
			if len(f) < 6 {
				return nil, fmt.Errorf("tstamp: short record %q", sc.Text())
			}
			var e [3]int
			for i, s := range []string{f[2], f[4], f[5]} {
				if e[i], err = strconv.Atoi(s); err != nil {
					return nil, fmt.Errorf("tstamp: bad record %q", sc.Text())
				}
			}
			r.Pid, r.Nr, r.Val = e[0], e[1], e[2]
		default:
			continue
		}
		recs = append(recs, r)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("tstamp: no records")
	}
	return recs, sc.Err()
}

// Phase is a named interval of a breakdown.
type Phase struct {
	Name string
	D    time.Duration
}

func find(recs []Record, from int, ok func(Record) bool) int {
	for i := from; i < len(recs); i++ {
		if ok(recs[i]) {
			return i
		}
	}
	return -1
}

func point(name string) func(Record) bool {
	return func(r Record) bool { return r.Kind == 'M' && r.Name == name }
}

// spawnPoint is the kernel's timeline point where it starts init.
const spawnPoint = "spawn /bin/init"

// shell finds the console shell in a timeline: the process that first reads
// the console (fd 0) after the spawn point, and that read (its first
// prompt) and its execve (init starts it).
func shell(recs []Record) (pid, exec, read int, err error) {
	spawn := find(recs, 0, point(spawnPoint))
	if spawn < 0 {
		return 0, 0, 0, fmt.Errorf("tstamp: no %q point", spawnPoint)
	}
	read = find(recs, spawn, func(r Record) bool { return r.Kind == 'E' && r.Nr == sysRead && r.Val == 0 })
	if read < 0 {
		return 0, 0, 0, fmt.Errorf("tstamp: nothing read the console after %q", spawnPoint)
	}
	pid = recs[read].Pid
	exec = find(recs, spawn, func(r Record) bool { return r.Kind == 'E' && r.Pid == pid && r.Nr == sysExecve })
	if exec < 0 || exec > read {
		return 0, 0, 0, fmt.Errorf("tstamp: the shell (pid %d) was not started by execve", pid)
	}
	return pid, exec, read, nil
}

// BootPhases is the kernel's share of the boot, from its timeline: power-on
// to the kernel's entry (firmware and loader), the trap tier and the Go
// runtime's start (to the kernel's main), mounting the initrd, starting live
// patching, its warm-up (when the timeline has it: the function table and
// the symbol indexes), /bin/init's start until it starts the shell
// (the shell's execve), and the shell's start until it first reads the
// console (its first prompt). The phases add up to the first prompt.
func BootPhases(recs []Record) ([]Phase, error) {
	var at []time.Duration
	for _, n := range []string{"kernel entry", "kernel main", "initrd mounted", "live patching ready", spawnPoint} {
		i := find(recs, 0, point(n))
		if i < 0 {
			return nil, fmt.Errorf("tstamp: no %q point", n)
		}
		at = append(at, recs[i].T)
	}
	_, exec, read, err := shell(recs)
	if err != nil {
		return nil, err
	}
	ps := []Phase{
		{"power-on → kernel entry (firmware, loader)", at[0]},
		{"kernel entry → kernel main (trap tier, Go runtime)", at[1] - at[0]},
		{"initrd mount", at[2] - at[1]},
		{"live patching start", at[3] - at[2]},
	}
	// The warm-up is left out on machines with little memory.
	w0, w1 := find(recs, 0, point("live patching warm-up")), find(recs, 0, point("live patching warmed"))
	if w0 >= 0 && w1 > w0 && recs[w1].T <= at[4] {
		ps = append(ps,
			Phase{"/proc, console", recs[w0].T - at[3]},
			Phase{"live patching warm-up (function table, symbols)", recs[w1].T - recs[w0].T},
			Phase{"spawn", at[4] - recs[w1].T})
	} else {
		ps = append(ps, Phase{"/proc, console, spawn", at[4] - at[3]})
	}
	return append(ps,
		Phase{"/bin/init start → shell's execve", recs[exec].T - at[4]},
		Phase{"/bin/sh start → first prompt", recs[read].T - recs[exec].T}), nil
}

// CommandPhases breaks down the first command the shell (the process that
// first read the console after the spawn point) ran after time after:
// fork (the shell's clone → the child's execve), ELF load (execve), the Go
// runtime's start until main (→ the child's first SYS_gojos_ctl, which is
// where kcall's and kpatch's main starts talking to the kernel), main (→
// exit_group), and exit and wait (→ the shell's system call returning the
// child's pid). The command must use SYS_gojos_ctl.
func CommandPhases(recs []Record, after time.Duration) ([]Phase, error) {
	ps, _, err := NextCommand(recs, after)
	return ps, err
}

// NextCommand is CommandPhases, and also when the command ended (the
// shell's wait returned): the time after which to look for the next one.
func NextCommand(recs []Record, after time.Duration) ([]Phase, time.Duration, error) {
	sh, _, _, err := shell(recs)
	if err != nil {
		return nil, 0, err
	}
	// A new process: a clone without CLONE_THREAD (the runtime's threads
	// are clones too), returning the child's pid to the shell.
	clone := find(recs, 0, func(r Record) bool {
		return r.T >= after && r.Kind == 'E' && r.Pid == sh && r.Nr == sysClone && r.Val&cloneThread == 0
	})
	if clone < 0 {
		return nil, 0, fmt.Errorf("tstamp: the shell (pid %d) forked nothing", sh)
	}
	ret := find(recs, clone, func(r Record) bool {
		return r.Kind == 'X' && r.Pid == sh && r.Nr == sysClone && r.Val > 0 &&
			find(recs, clone, func(e Record) bool { return e.Kind == 'E' && e.Pid == r.Val && e.Nr == sysExecve }) >= 0
	})
	if ret < 0 {
		return nil, 0, fmt.Errorf("tstamp: the shell's clone made no child that ran execve")
	}
	child := recs[ret].Val
	byChild := func(kind byte, nr int) func(Record) bool {
		return func(r Record) bool { return r.Kind == kind && r.Pid == child && r.Nr == nr }
	}
	ex := find(recs, clone, byChild('E', sysExecve))
	exRet := find(recs, ex+1, byChild('X', sysExecve))
	ctl := find(recs, exRet+1, byChild('E', sysGojosCtl))
	exit := find(recs, ctl+1, byChild('E', sysExitGroup))
	if ex < 0 || exRet < 0 || ctl < 0 || exit < 0 {
		return nil, 0, fmt.Errorf("tstamp: child %d: no execve, gojos_ctl or exit_group", child)
	}
	wait := find(recs, exit, func(r Record) bool { return r.Kind == 'X' && r.Pid == sh && r.Val == child })
	if wait < 0 {
		return nil, 0, fmt.Errorf("tstamp: the shell never reaped %d", child)
	}
	nf, tf := kernelTime(recs, child, exRet, exit, func(nr int) bool { return nr == pageFault })
	ns, ts := kernelTime(recs, child, exRet, exit, func(nr int) bool { return nr != pageFault })
	return []Phase{
		{"fork (shell's clone → child's execve)", recs[ex].T - recs[clone].T},
		{"ELF load (execve)", recs[exRet].T - recs[ex].T},
		{"Go runtime start → main", recs[ctl].T - recs[exRet].T},
		{"main", recs[exit].T - recs[ctl].T},
		{"exit and wait", recs[wait].T - recs[exit].T},
		{"total (clone → wait)", recs[wait].T - recs[clone].T},
		{fmt.Sprintf("  of execve → exit: %d page faults, in the kernel", nf), tf},
		{fmt.Sprintf("  of execve → exit: %d system calls, in the kernel", ns), ts},
	}, recs[wait].T, nil
}

// kernelTime counts pid's records of the kinds sel picks between recs[from]
// and recs[to] and sums the time from each entry to its return.
func kernelTime(recs []Record, pid, from, to int, sel func(nr int) bool) (n int, d time.Duration) {
	open := map[int]time.Duration{} // by nr: one thread's entry at a time is enough here
	for _, r := range recs[from:to] {
		if r.Pid != pid || !sel(r.Nr) {
			continue
		}
		switch r.Kind {
		case 'E':
			n++
			open[r.Nr] = r.T
		case 'X':
			if t, ok := open[r.Nr]; ok {
				d += r.T - t
				delete(open, r.Nr)
			}
		}
	}
	return n, d
}
