// Package ps is the ps command: it lists processes from /proc, in the
// format user/PROC.md defines (a subset of Linux's /proc/<pid>/status and
// /proc/<pid>/cmdline).
package ps

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"

	"gojos/user/internal/cmdutil"
)

// Run is the ps command: ps takes no arguments.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := cmdutil.FlagSet("ps", "", stderr)
	if err := cmdutil.Parse(flags, args); err != nil {
		return err
	}
	if flags.NArg() != 0 {
		flags.Usage()
		return cmdutil.Usage
	}
	return List(os.DirFS("/proc"), stdout)
}

// Proc is what ps shows about one process.
type Proc struct {
	Pid, PPid, Threads int
	Name, State        string
	Cmdline            []string
}

// List writes a table of the processes in procfs (a /proc tree), by pid.
func List(procfs fs.FS, w io.Writer) error {
	procs, err := Read(procfs)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%5s %5s %s %4s %s\n", "PID", "PPID", "S", "THR", "CMD")
	for _, p := range procs {
		cmd := p.Name
		if len(p.Cmdline) > 0 {
			cmd = strings.Join(p.Cmdline, " ")
		}
		fmt.Fprintf(bw, "%5d %5d %s %4d %s\n", p.Pid, p.PPid, p.State, p.Threads, cmd)
	}
	return bw.Flush()
}

// Read collects every process directory of procfs, sorted by pid.
// Processes whose status file has gone are skipped.
func Read(procfs fs.FS) ([]Proc, error) {
	ents, err := fs.ReadDir(procfs, ".")
	if err != nil {
		return nil, fmt.Errorf("reading /proc: %v", err)
	}
	var procs []Proc
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid <= 0 {
			continue
		}
		data, err := fs.ReadFile(procfs, e.Name()+"/status")
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("/proc/%d/status: %v", pid, err)
		}
		p, err := ParseStatus(data)
		if err != nil {
			return nil, fmt.Errorf("/proc/%d/status: %v", pid, err)
		}
		if p.Pid == 0 {
			p.Pid = pid
		}
		if cl, err := fs.ReadFile(procfs, e.Name()+"/cmdline"); err == nil && len(cl) > 0 {
			p.Cmdline = strings.Split(strings.TrimSuffix(string(cl), "\x00"), "\x00")
		}
		procs = append(procs, p)
	}
	sort.Slice(procs, func(i, j int) bool { return procs[i].Pid < procs[j].Pid })
	return procs, nil
}

// ParseStatus reads the fields ps uses from a status file: "Key:\tvalue"
// lines; other keys are ignored.
func ParseStatus(data []byte) (Proc, error) {
	p := Proc{State: "?"}
	for i, line := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		k, v, ok := strings.Cut(string(line), ":")
		if !ok {
			return p, fmt.Errorf("line %d: no ':' in %q", i+1, line)
		}
		v = strings.TrimSpace(v)
		var err error
		switch k {
		case "Name":
			p.Name = v
		case "State":
			if v != "" {
				p.State = v[:1]
			}
		case "Pid":
			p.Pid, err = strconv.Atoi(v)
		case "PPid":
			p.PPid, err = strconv.Atoi(v)
		case "Threads":
			p.Threads, err = strconv.Atoi(v)
		}
		if err != nil {
			return p, fmt.Errorf("line %d: %s: %v", i+1, k, err)
		}
	}
	return p, nil
}
