package whoami

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"gojos/user/internal/passwd"
)

func TestWhoami(t *testing.T) {
	passwd.PasswdFile = filepath.Join(t.TempDir(), "passwd")
	os.WriteFile(passwd.PasswdFile, []byte("root:x:0:0:root:/:/bin/sh\nstudent:x:1000:1000::/:/bin/sh\n"), 0o644)
	for uid, want := range map[int]string{0: "root\n", 1000: "student\n"} {
		geteuid = func() int { return uid }
		var out bytes.Buffer
		if err := Run([]string{"whoami"}, nil, &out, io.Discard); err != nil || out.String() != want {
			t.Errorf("uid %d: %q %v", uid, out.String(), err)
		}
	}
	geteuid = func() int { return 5 }
	if err := Run([]string{"whoami"}, nil, io.Discard, io.Discard); err == nil {
		t.Error("unknown uid accepted")
	}
}
