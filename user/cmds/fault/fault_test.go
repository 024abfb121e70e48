package fault

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"gojos/user/internal/cmdutil"
)

// The test binary runs the fault command itself when FAULT_HELPER is set,
// so the faults happen in a child process.
func TestMain(m *testing.M) {
	if os.Getenv("FAULT_HELPER") != "" {
		syscall.Setrlimit(syscall.RLIMIT_CORE, &syscall.Rlimit{}) // no core files
		err := Run(append([]string{"fault"}, os.Args[1:]...), os.Stdin, os.Stdout, os.Stderr)
		os.Exit(cmdutil.Status("fault", err, os.Stderr))
	}
	os.Exit(m.Run())
}

func TestFaults(t *testing.T) {
	if runtime.GOARCH != "amd64" && runtime.GOARCH != "386" {
		t.Skip("the faults need x86")
	}
	for _, tc := range []struct {
		args   string
		status int            // exit status, if sig is 0
		sig    syscall.Signal // the signal that must kill it
		out    string         // in stdout or stderr
	}{
		{"nil", 2, 0, "invalid memory address or nil pointer dereference"},
		{"-dfl nil", 0, syscall.SIGSEGV, ""},
		{"kernel-write", 2, 0, "unexpected fault address 0xc0100000"},
		{"-dfl kernel-write", 0, syscall.SIGSEGV, ""},
		{"illegal", 2, 0, "SIGILL"},
		{"-dfl illegal", 0, syscall.SIGILL, ""},
		{"divide", 2, 0, "integer divide by zero"},
		{"-dfl divide", 0, syscall.SIGFPE, ""},
		{"stack", 2, 0, "stack exceeds 8388608-byte limit"},
		{"wild-syscall", 0, 0, "bad address (EFAULT), as it should"},
		{"-dfl wild-syscall", 0, 0, "EFAULT"},
		{"bogus", 2, 0, "usage: fault"},
		{"", 2, 0, "usage: fault"},
	} {
		cmd := exec.Command(os.Args[0], strings.Fields(tc.args)...)
		cmd.Env = append(os.Environ(), "FAULT_HELPER=1", "GOTRACEBACK=single")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatalf("%s: %v", tc.args, err)
		}
		ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
		switch {
		case tc.sig != 0 && (!ws.Signaled() || ws.Signal() != tc.sig):
			t.Errorf("fault %s: %v, want killed by %v\n%s", tc.args, cmd.ProcessState, tc.sig, out.String())
		case tc.sig == 0 && (ws.Signaled() || ws.ExitStatus() != tc.status):
			t.Errorf("fault %s: %v, want exit status %d\n%s", tc.args, cmd.ProcessState, tc.status, out.String())
		case !strings.Contains(out.String(), tc.out):
			t.Errorf("fault %s: output lacks %q:\n%s", tc.args, tc.out, out.String())
		}
	}
}
