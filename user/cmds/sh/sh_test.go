package sh

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"gojos/user/internal/cmdutil"
)

// The test binary doubles as the programs the shell runs: started as
// "shhelper" (through a symbolic link in a temporary directory), it acts
// out its arguments instead of running tests.
const helperName = "shhelper"

func TestMain(m *testing.M) {
	if filepath.Base(os.Args[0]) == helperName {
		os.Exit(helper(os.Args[1:]))
	}
	os.Exit(m.Run())
}

func helper(args []string) int {
	switch args[0] {
	case "echo":
		fmt.Println(strings.Join(args[1:], " "))
	case "exit":
		n, _ := strconv.Atoi(args[1])
		return n
	case "kill":
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {}
	case "upper":
		data, _ := io.ReadAll(os.Stdin)
		os.Stdout.Write(bytes.ToUpper(data))
	case "cat":
		io.Copy(os.Stdout, os.Stdin)
	case "stderr":
		fmt.Fprintln(os.Stderr, "to stderr")
	}
	return 0
}

// bin makes a directory holding the helper as shhelper.
func bin(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Symlink(exe, filepath.Join(dir, helperName)); err != nil {
		t.Fatal(err)
	}
	return dir
}

// buffer is a bytes.Buffer safe for the shell and os/exec's copying
// goroutines to share (bytes.Buffer.ReadFrom would lose concurrent writes).
type buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *buffer) Len() int { return len(b.String()) }

func (b *buffer) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Reset()
}

// run runs lines in a fresh shell whose programs come from dir.
func run(t *testing.T, dir string, lines ...string) (stdout, stderr string, status int) {
	t.Helper()
	var out, errs buffer
	s := New(nil, &out, &errs)
	s.Path = []string{dir}
	for _, l := range lines {
		s.RunLine(l)
	}
	return out.String(), errs.String(), s.Status
}

func TestPrograms(t *testing.T) {
	dir := bin(t)
	h := helperName
	for _, tc := range []struct {
		line, out, errs string
		status          int
	}{
		{h + " echo 'hello  world' x", "hello  world x\n", "", 0},
		{h + " exit 3", "", "sh: shhelper: exit status 3\n", 3},
		{h + " kill", "", "sh: shhelper: killed by signal SIGKILL\n", 128 + 9},
		{h + " echo hello world | " + h + " upper | " + h + " cat", "HELLO WORLD\n", "", 0},
		{h + " exit 5 | " + h + " echo last", "last\n", "sh: shhelper: exit status 5\n", 0},
		{h + " exit 3; " + h + " echo $?", "3\n", "sh: shhelper: exit status 3\n", 0},
		{h + " stderr", "", "to stderr\n", 0},
		{"nonesuch a b", "", "sh: nonesuch: not found\n", 127},
		{h + " echo x | nonesuch", "", "sh: nonesuch: not found\n", 127},
		{"./nonesuch", "", "sh: ./nonesuch: no such file or directory\n", 127},
		{dir + "/" + h + " echo by path", "by path\n", "", 0},
		{"echo 'open", "", "sh: syntax error: unterminated '\n", 2},
		{"pwd | " + h + " cat", "", "sh: pwd: a builtin cannot be part of a pipeline\n", 2},
		{"exit 4; " + h + " echo not reached", "", "", 4},
		{"exit x", "", "sh: exit: want one status 0-255, got [\"x\"]\n", 2},
		{"cd /nonexistent-dir", "", "sh: cd: chdir /nonexistent-dir: no such file or directory\n", 1},
	} {
		out, errs, status := run(t, dir, tc.line)
		if out != tc.out || errs != tc.errs || status != tc.status {
			t.Errorf("%s:\n got %q, %q, %d\nwant %q, %q, %d", tc.line, out, errs, status, tc.out, tc.errs, tc.status)
		}
	}
}

func TestCdPwd(t *testing.T) {
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	dir := bin(t)
	real, _ := filepath.EvalSymlinks(dir)
	out, errs, status := run(t, dir, "cd "+real, "pwd")
	if out != real+"\n" || errs != "" || status != 0 {
		t.Errorf("cd; pwd = %q, %q, %d", out, errs, status)
	}
	t.Setenv("HOME", "/")
	if out, _, _ := run(t, dir, "cd", "pwd"); out != "/\n" {
		t.Errorf("cd (HOME) ; pwd = %q", out)
	}
}

func TestHelp(t *testing.T) {
	out, _, status := run(t, bin(t), "help")
	if status != 0 || !strings.Contains(out, "builtins: cd") || !strings.Contains(out, "programs: shhelper\n") {
		t.Errorf("help = %q", out)
	}
}

// TestInteractive drives the shell through a pipe, as the console does:
// programs inherit it, and what the shell has not read is theirs.
func TestInteractive(t *testing.T) {
	dir := bin(t)
	t.Setenv("PATH", dir)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "shhelper echo one\rshhelper upper\nfrom the console\n")
	w.Close()
	defer r.Close()
	var out, errs buffer
	if err := Run([]string{"sh"}, r, &out, &errs); err != nil {
		t.Fatal(err)
	}
	want := "$ shhelper echo one\none\n$ shhelper upper\nFROM THE CONSOLE\n$ \n"
	if out.String() != want || errs.Len() != 0 {
		t.Errorf("session = %q, %q\nwant %q", out.String(), errs.String(), want)
	}
}

func TestRunModes(t *testing.T) {
	dir := bin(t)
	t.Setenv("PATH", dir)
	var out, errs buffer
	if err := Run([]string{"sh", "-c", "shhelper echo a; exit 3"}, nil, &out, &errs); err != cmdutil.ExitStatus(3) || out.String() != "a\n" {
		t.Errorf("sh -c = %v, %q, %q", err, out.String(), errs.String())
	}
	script := filepath.Join(dir, "script")
	os.WriteFile(script, []byte("shhelper echo 1\n# comment\n\nshhelper exit 2\nexit\nshhelper echo no\n"), 0o644)
	out.Reset()
	errs.Reset()
	if err := Run([]string{"sh", script}, nil, &out, &errs); err != cmdutil.ExitStatus(2) || out.String() != "1\n" {
		t.Errorf("sh script = %v, %q, %q", err, out.String(), errs.String())
	}
	if err := Run([]string{"sh", "a", "b"}, nil, &out, &errs); err != cmdutil.Usage {
		t.Errorf("sh a b = %v", err)
	}
	if err := Run([]string{"sh", filepath.Join(dir, "missing")}, nil, &out, &errs); err == nil {
		t.Errorf("sh missing accepted")
	}
}

func TestFind(t *testing.T) {
	dirA, dirB := t.TempDir(), t.TempDir()
	if err := os.Mkdir(filepath.Join(dirA, "prog"), 0o755); err != nil { // a directory is skipped
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dirB, "prog"), []byte("#!/bin/true\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	s := &Shell{Stderr: &stderr, Path: []string{dirA, dirB + "/"}}
	if p, st := s.find("prog"); p != dirB+"/prog" || st != 0 {
		t.Errorf("find(prog) = %q, %d", p, st)
	}
	if p, st := s.find("./x/prog"); p != "./x/prog" || st != 0 {
		t.Errorf("a name with a slash is used as it is: %q, %d", p, st)
	}
	if p, st := s.find("nonesuch"); p != "" || st != statusNotFound || stderr.String() != "sh: nonesuch: not found\n" {
		t.Errorf("find(nonesuch) = %q, %d, %q", p, st, stderr.String())
	}
	t.Chdir(dirB)
	s.Path = []string{""} // the current directory
	if p, st := s.find("prog"); p != "prog" || st != 0 {
		t.Errorf("empty PATH entry: %q, %d", p, st)
	}
}
