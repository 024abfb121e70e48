package ls

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gojos/user/internal/cmdutil"
)

func tree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(dir, "motd"), []byte("hello\n"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "prog"), bytes.Repeat([]byte("x"), 1234), 0o755))
	must(os.WriteFile(filepath.Join(dir, ".hidden"), nil, 0o600))
	must(os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	must(os.Chmod(filepath.Join(dir, "sub"), 0o755)) // whatever the umask
	must(os.Chmod(filepath.Join(dir, "prog"), 0o755))
	must(os.Chmod(filepath.Join(dir, "motd"), 0o644))
	must(os.Symlink("prog", filepath.Join(dir, "sh")))
	return dir
}

func run(t *testing.T, args ...string) (string, string, error) {
	var out, errs bytes.Buffer
	err := Run(append([]string{"ls"}, args...), nil, &out, &errs)
	return out.String(), errs.String(), err
}

func TestNames(t *testing.T) {
	dir := tree(t)
	out, _, err := run(t, dir)
	if err != nil || out != "motd\nprog\nsh\nsub\n" {
		t.Errorf("ls = %q, %v", out, err)
	}
	out, _, _ = run(t, "-a", dir)
	if out != ".hidden\nmotd\nprog\nsh\nsub\n" {
		t.Errorf("ls -a = %q", out)
	}
	out, _, _ = run(t, filepath.Join(dir, "motd"))
	if out != filepath.Join(dir, "motd")+"\n" {
		t.Errorf("ls file = %q", out)
	}
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	os.Chdir(dir)
	if out, _, _ := run(t); out != "motd\nprog\nsh\nsub\n" {
		t.Errorf("ls (cwd) = %q", out)
	}
	if out, _, _ := run(t, "motd", "sub"); out != "motd:\nmotd\n\nsub:\n" {
		t.Errorf("ls motd sub = %q", out)
	}
}

func TestLong(t *testing.T) {
	dir := tree(t)
	out, _, err := run(t, "-l", dir)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	want := []string{
		"-rw-r--r--    6 motd",
		"-rwxr-xr-x 1234 prog",
		"lrwxrwxrwx    4 sh -> prog",
	}
	if len(lines) != 4 || strings.Join(lines[:3], "\n") != strings.Join(want, "\n") ||
		!strings.HasPrefix(lines[3], "drwxr-xr-x ") || !strings.HasSuffix(lines[3], " sub") {
		t.Errorf("ls -l =\n%s\nwant\n%s\ndrwxr-xr-x ... sub", out, strings.Join(want, "\n"))
	}
	out, _, _ = run(t, "-l", filepath.Join(dir, "sh"))
	if out != "lrwxrwxrwx 4 "+filepath.Join(dir, "sh")+" -> prog\n" {
		t.Errorf("ls -l link = %q", out)
	}
}

func TestErrors(t *testing.T) {
	dir := tree(t)
	out, errs, err := run(t, filepath.Join(dir, "missing"), filepath.Join(dir, "motd"))
	if err != cmdutil.ExitStatus(1) || !strings.Contains(errs, "no such file or directory") ||
		!strings.HasSuffix(out, "/motd\n") {
		t.Errorf("ls missing motd = %q, %q, %v", out, errs, err)
	}
	if _, _, err := run(t, "-z"); err != cmdutil.Usage {
		t.Errorf("ls -z = %v", err)
	}
}

func TestMode(t *testing.T) {
	for m, want := range map[fs.FileMode]string{
		0o644:                                     "-rw-r--r--",
		fs.ModeDir | 0o755:                        "drwxr-xr-x",
		fs.ModeSymlink | 0o777:                    "lrwxrwxrwx",
		fs.ModeSetuid | 0o755:                     "-rwsr-xr-x",
		fs.ModeSetgid | 0o644:                     "-rw-r-Sr--",
		fs.ModeDir | fs.ModeSticky | 0o777:        "drwxrwxrwt",
		fs.ModeDevice | fs.ModeCharDevice | 0o600: "crw-------",
	} {
		if got := Mode(m); got != want {
			t.Errorf("Mode(%v) = %s, want %s", m, got, want)
		}
	}
}
