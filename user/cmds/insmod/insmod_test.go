package insmod

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"gojos/user/internal/cmdutil"
	"gojos/user/internal/kctl/kctltest"
)

// setup makes a current directory and a modules directory with the given
// files (name → content; a name ending in "/" is a directory).
func setup(t *testing.T, cwd, mods map[string]string) {
	t.Helper()
	root := t.TempDir()
	for dir, files := range map[string]map[string]string{"cwd": cwd, "mods": mods} {
		for name, data := range files {
			p := filepath.Join(root, dir, name)
			if strings.HasSuffix(name, "/") {
				if err := os.MkdirAll(p, 0o755); err != nil {
					t.Fatal(err)
				}
				continue
			}
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	os.MkdirAll(filepath.Join(root, "cwd"), 0o755)
	t.Chdir(filepath.Join(root, "cwd"))
	saved := ModulesDir
	ModulesDir = filepath.Join(root, "mods")
	t.Cleanup(func() { ModulesDir = saved })
}

func TestFind(t *testing.T) {
	for _, tc := range []struct {
		cwd, mods map[string]string
		arg       string
		want      string // file content found; "" for not found
	}{
		{map[string]string{"test.ko": "cwd"}, map[string]string{"test.ko": "mods"}, "test.ko", "cwd"},
		{nil, map[string]string{"test.ko": "mods"}, "test.ko", "mods"},
		{map[string]string{"test.ko": "cwd.ko"}, map[string]string{"test": "mods"}, "test", "cwd.ko"},
		{map[string]string{"test": "cwd"}, map[string]string{"test.ko": "mods.ko"}, "test", "cwd"},
		{nil, map[string]string{"test.ko": "mods.ko", "test": "mods"}, "test", "mods"},
		{nil, map[string]string{"test.ko": "mods.ko"}, "test", "mods.ko"},
		{map[string]string{"test/": ""}, map[string]string{"test.ko": "mods.ko"}, "test", "mods.ko"}, // directories skipped
		{nil, map[string]string{"test.ko": "mods"}, "test.ko.ko", ""},
		{map[string]string{"sub/x.ko": "sub"}, nil, "sub/x.ko", "sub"},
		{map[string]string{"sub/x.ko": "sub"}, nil, "x.ko", ""},
		{map[string]string{"x.ko": "cwd"}, map[string]string{"x.ko": "mods"}, "./x.ko", "cwd"},
	} {
		setup(t, tc.cwd, tc.mods)
		p, err := Find(tc.arg)
		got := ""
		if err == nil {
			data, rerr := os.ReadFile(p)
			if rerr != nil && tc.want != "" {
				t.Errorf("Find(%q) = %q: %v", tc.arg, p, rerr)
			}
			got = string(data)
		} else if !strings.HasPrefix(err.Error(), "not found in . or ") {
			t.Errorf("Find(%q): %v", tc.arg, err)
		}
		if got != tc.want {
			t.Errorf("cwd %v, modules %v: Find(%q) found %q; want %q", tc.cwd, tc.mods, tc.arg, got, tc.want)
		}
	}
}

func TestInsmod(t *testing.T) {
	setup(t, map[string]string{"test.ko": "\x7fELF test"}, map[string]string{"other.ko": "\x7fELF other"})
	k := kctltest.Install(t, &kctltest.Kernel{Answers: map[string]kctltest.Answer{
		"lasterror": {Text: "test: module already loaded\n"},
	}})
	run := func(args ...string) (int, string, string) {
		var out, errs bytes.Buffer
		status := cmdutil.Status("insmod", Run(args, nil, &out, &errs), &errs)
		return status, out.String(), errs.String()
	}

	if status, out, errs := run("insmod", "test.ko"); status != 0 || out != "" || errs != "" {
		t.Errorf("insmod test.ko: %d, %q, %q", status, out, errs)
	}
	if status, _, errs := run("insmod", "other", "a=1", "b=two"); status != 0 || errs != "" {
		t.Errorf("insmod other a=1 b=two: %d, %q", status, errs)
	}
	want := []kctltest.Init{{Image: "\x7fELF test"}, {Image: "\x7fELF other", Params: "a=1 b=two"}}
	if len(k.Inits) != 2 || k.Inits[0] != want[0] || k.Inits[1] != want[1] {
		t.Errorf("init_module calls %q; want %q", k.Inits, want)
	}
	if len(k.Requests) != 0 {
		t.Errorf("control requests after success: %q", k.Requests)
	}

	// The kernel refuses: its reason from lasterror.
	k.InitErrno = syscall.EEXIST
	if status, out, errs := run("insmod", "test"); status != 1 || out != "" || errs != "insmod: test: test: module already loaded\n" {
		t.Errorf("refused: %d, %q, %q", status, out, errs)
	}
	// No reason to be had: the errno's text.
	k.Answers["lasterror"] = kctltest.Answer{Errno: syscall.ENOENT}
	k.InitErrno = syscall.ENOEXEC
	if status, _, errs := run("insmod", "test.ko"); status != 1 || errs != "insmod: test.ko: exec format error\n" {
		t.Errorf("refused without reason: %d, %q", status, errs)
	}

	n := len(k.Inits)
	for _, tc := range []struct {
		args   []string
		status int
		errs   string
	}{
		{[]string{"insmod", "nosuch.ko"}, 1, "insmod: nosuch.ko: not found in . or " + ModulesDir + "\n"},
		{[]string{"insmod", "./nosuch.ko"}, 1, "insmod: ./nosuch.ko: no such file or directory\n"},
		{[]string{"insmod"}, 2, "usage: insmod file.ko [param ...]\n"},
		{[]string{"insmod", ""}, 2, "usage: insmod file.ko [param ...]\n"},
		{[]string{"insmod", "-f", "test.ko"}, 2, "flag provided but not defined: -f\n"},
	} {
		if status, out, errs := run(tc.args...); status != tc.status || out != "" || !strings.HasPrefix(errs, tc.errs) {
			t.Errorf("%q: %d, %q, %q; want %d, %q", tc.args, status, out, errs, tc.status, tc.errs)
		}
	}
	if len(k.Inits) != n {
		t.Errorf("init_module called for a missing file or a usage error: %q", k.Inits[n:])
	}
}
