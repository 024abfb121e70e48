package su

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"

	"gojos/user/internal/cmdutil"
	"gojos/user/internal/passwd"
)

func files(t *testing.T) {
	dir := t.TempDir()
	passwd.PasswdFile, passwd.GroupFile = filepath.Join(dir, "passwd"), filepath.Join(dir, "group")
	os.WriteFile(passwd.PasswdFile, []byte("root:x:0:0:root:/:/bin/sh\nstudent:x:1000:1000::/home:/bin/sh\n"), 0o644)
	os.WriteFile(passwd.GroupFile, []byte("root:x:0:\nusers:x:100:student\nstudent:x:1000:\n"), 0o644)
}

func TestSu(t *testing.T) {
	files(t)
	var got *exec.Cmd
	runCmd = func(c *exec.Cmd) error { got = c; return nil }
	for _, c := range []struct {
		args     []string
		uid      uint32
		wantArgs []string
	}{
		{[]string{"su", "student", "-c", "id"}, 1000, []string{"/bin/sh", "-c", "id"}},
		{[]string{"su", "-c", "id", "student"}, 1000, []string{"/bin/sh", "-c", "id"}},
		{[]string{"su", "student"}, 1000, []string{"/bin/sh"}},
		{[]string{"su"}, 0, []string{"/bin/sh"}},
		{[]string{"su", "-c", "ls"}, 0, []string{"/bin/sh", "-c", "ls"}},
	} {
		got = nil
		if err := Run(c.args, nil, io.Discard, io.Discard); err != nil || got == nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		cr := got.SysProcAttr.Credential
		if cr.Uid != c.uid || !reflect.DeepEqual(got.Args, c.wantArgs) {
			t.Errorf("%v: uid %d args %q", c.args, cr.Uid, got.Args)
		}
		if c.uid == 1000 && (cr.Gid != 1000 || !reflect.DeepEqual(cr.Groups, []uint32{100, 1000})) {
			t.Errorf("%v: gid %d groups %v", c.args, cr.Gid, cr.Groups)
		}
		env := strings.Join(got.Env, " ")
		if c.uid == 1000 && (!strings.Contains(env, "HOME=/home") || !strings.Contains(env, "USER=student")) {
			t.Errorf("%v: env %s", c.args, env)
		}
	}
	for _, bad := range [][]string{{"su", "nobody"}, {"su", "student", "extra"}, {"su", "-x"}} {
		if err := Run(bad, nil, io.Discard, io.Discard); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	runCmd = func(c *exec.Cmd) error { return &os.SyscallError{Syscall: "fork/exec", Err: syscall.EPERM} }
	err := Run([]string{"su", "student", "-c", "id"}, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "only root may change user IDs") {
		t.Errorf("EPERM: %v", err)
	}
	runCmd = func(c *exec.Cmd) error { return exec.Command("sh", "-c", "exit 3").Run() }
	if err := Run([]string{"su", "-c", "x"}, nil, io.Discard, io.Discard); err != cmdutil.ExitStatus(3) {
		t.Errorf("exit status: %v", err)
	}
}
