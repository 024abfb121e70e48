package passwd

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const testPasswd = `# comment
root:x:0:0:root:/:/bin/sh

student:x:1000:1000:A student:/:/bin/sh
`

const testGroup = `root:x:0:
users:x:100:student,other
student:x:1000:
`

func useFiles(t *testing.T, pw, gr string) {
	dir := t.TempDir()
	PasswdFile, GroupFile = filepath.Join(dir, "passwd"), filepath.Join(dir, "group")
	os.WriteFile(PasswdFile, []byte(pw), 0o644)
	os.WriteFile(GroupFile, []byte(gr), 0o644)
}

func TestLookup(t *testing.T) {
	useFiles(t, testPasswd, testGroup)
	u, err := LookupUser("student")
	if err != nil || u.UID != 1000 || u.GID != 1000 || u.Home != "/" || u.Gecos != "A student" {
		t.Fatalf("student: %+v %v", u, err)
	}
	if u2, err := LookupUser("1000"); err != nil || u2 != u {
		t.Errorf("by uid: %+v %v", u2, err)
	}
	if _, err := LookupUser("nobody"); err == nil || !strings.Contains(err.Error(), `no user "nobody"`) {
		t.Errorf("nobody: %v", err)
	}
	ids, err := GroupIDs(u)
	if err != nil || !reflect.DeepEqual(ids, []uint32{100, 1000}) {
		t.Errorf("groups %v %v", ids, err)
	}
	if UserName(0) != "root" || UserName(42) != "42" || GroupName(100) != "users" || GroupName(7) != "7" {
		t.Error("names")
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct{ pw, want string }{
		{"root:x:0:0:root:/\n", "passwd:1: want 7 fields"},
		{"root:x:zero:0:root:/:/bin/sh\n", `passwd:1: bad ID "zero"`},
		{"\nroot:x:0:4294967295:r:/:/bin/sh\n", `passwd:2: bad ID "4294967295"`},
		{":x:0:0:r:/:/bin/sh\n", "passwd:1: empty name"},
	} {
		useFiles(t, c.pw, testGroup)
		if _, err := LookupUser("root"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.pw, err, c.want)
		}
	}
	useFiles(t, testPasswd, "users:x:100\n")
	if _, err := GroupIDs(User{Name: "student"}); err == nil || !strings.Contains(err.Error(), "group:1: want 4 fields") {
		t.Errorf("group: %v", err)
	}
}
