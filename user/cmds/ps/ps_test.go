package ps

import (
	"bytes"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

func TestList(t *testing.T) {
	procfs := fstest.MapFS{
		"1/status":    file("Name:\tsh\nState:\tS (sleeping)\nPid:\t1\nPPid:\t0\nThreads:\t5\n"),
		"12/status":   file("Name:\tps\nState:\tR (running)\nPid:\t12\nPPid:\t1\nThreads:\t4\nVmSize:\t1000 kB\n"),
		"12/cmdline":  file("ps\x00-x\x00"),
		"3/status":    file("Pid:\t3\nPPid:\t1\nName:\tcat\nState:\tZ\nThreads:\t0\n"),
		"4/cmdline":   file("gone\x00"), // exited between readdir and open: skipped
		"self/status": file("Name:\tignored\n"),
		"meminfo":     file("MemTotal: 1 kB\n"),
	}
	var out bytes.Buffer
	if err := List(procfs, &out); err != nil {
		t.Fatal(err)
	}
	want := "  PID  PPID S  THR CMD\n" +
		"    1     0 S    5 sh\n" +
		"    3     1 Z    0 cat\n" +
		"   12     1 R    4 ps -x\n"
	if out.String() != want {
		t.Errorf("ps =\n%s\nwant\n%s", out.String(), want)
	}
}

func TestParseStatusErrors(t *testing.T) {
	for _, bad := range []string{"Name sh\n", "Pid:\tx\n", "PPid:\t-\n", "Threads:\t\n"} {
		if _, err := ParseStatus([]byte(bad)); err == nil {
			t.Errorf("ParseStatus(%q) accepted", bad)
		}
	}
	if err := List(fstest.MapFS{"2/status": file("garbage")}, &bytes.Buffer{}); err == nil {
		t.Error("List accepted a bad status file")
	}
}

// On a Linux host the same code reads the real /proc.
func TestHostProc(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("not linux")
	}
	procs, err := Read(os.DirFS("/proc"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range procs {
		if p.Pid == os.Getpid() {
			if p.PPid != os.Getppid() || p.Threads < 1 || !strings.Contains(p.Name, "ps") {
				t.Errorf("self = %+v", p)
			}
			return
		}
	}
	t.Errorf("pid %s not listed", strconv.Itoa(os.Getpid()))
}
