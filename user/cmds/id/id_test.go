package id

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"gojos/user/internal/passwd"
)

func files(t *testing.T) {
	dir := t.TempDir()
	passwd.PasswdFile, passwd.GroupFile = filepath.Join(dir, "passwd"), filepath.Join(dir, "group")
	os.WriteFile(passwd.PasswdFile, []byte("root:x:0:0:root:/:/bin/sh\nstudent:x:1000:1000::/:/bin/sh\n"), 0o644)
	os.WriteFile(passwd.GroupFile, []byte("root:x:0:\nusers:x:100:student\nstudent:x:1000:\n"), 0o644)
}

func TestID(t *testing.T) {
	files(t)
	for _, c := range []struct {
		args []string
		self Self
		want string
	}{
		{[]string{"id"}, Self{}, "uid=0(root) gid=0(root)\n"},
		{[]string{"id"}, Self{UID: 1000, EUID: 0, GID: 1000, EGID: 1000, Groups: []uint32{100, 1000}},
			"uid=1000(student) gid=1000(student) euid=0(root) groups=100(users),1000(student)\n"},
		{[]string{"id", "student"}, Self{}, "uid=1000(student) gid=1000(student) groups=100(users),1000(student)\n"},
		{[]string{"id", "1000"}, Self{}, "uid=1000(student) gid=1000(student) groups=100(users),1000(student)\n"},
		{[]string{"id"}, Self{UID: 42, EUID: 42, GID: 7, EGID: 7}, "uid=42(42) gid=7(7)\n"},
	} {
		self = func() (Self, error) { return c.self, nil }
		var out bytes.Buffer
		if err := Run(c.args, nil, &out, io.Discard); err != nil || out.String() != c.want {
			t.Errorf("%v: %q %v, want %q", c.args, out.String(), err, c.want)
		}
	}
	if err := Run([]string{"id", "nobody"}, nil, io.Discard, io.Discard); err == nil {
		t.Error("unknown user accepted")
	}
	if err := Run([]string{"id", "a", "b"}, nil, io.Discard, io.Discard); err == nil {
		t.Error("two arguments accepted")
	}
}
