package rmmod

import (
	"bytes"
	"strings"
	"syscall"
	"testing"

	"gojos/kern/abi/linux"
	"gojos/user/internal/cmdutil"
	"gojos/user/internal/kctl/kctltest"
)

func TestName(t *testing.T) {
	for arg, want := range map[string]string{
		"test": "test", "test.ko": "test", "/lib/modules/test.ko": "test", "./x": "x",
		"": "", ".ko": "", "/": "", "a\x00b": "",
	} {
		if got := Name(arg); got != want {
			t.Errorf("Name(%q) = %q; want %q", arg, got, want)
		}
	}
}

func TestRmmod(t *testing.T) {
	k := kctltest.Install(t, &kctltest.Kernel{Answers: map[string]kctltest.Answer{
		"lasterror": {Text: "test: in use by 1 patch (kpatch_test1)\n"},
	}})
	run := func(args ...string) (int, string, string) {
		var out, errs bytes.Buffer
		status := cmdutil.Status("rmmod", Run(args, nil, &out, &errs), &errs)
		return status, out.String(), errs.String()
	}
	if status, out, errs := run("rmmod", "test"); status != 0 || out != "" || errs != "" {
		t.Errorf("rmmod test: %d, %q, %q", status, out, errs)
	}
	if status, _, errs := run("rmmod", "/lib/modules/a.ko", "b"); status != 0 || errs != "" {
		t.Errorf("rmmod a.ko b: %d, %q", status, errs)
	}
	const nb = linux.O_NONBLOCK_MODULE
	want := []kctltest.Delete{{Name: "test", Flags: nb}, {Name: "a", Flags: nb}, {Name: "b", Flags: nb}}
	if len(k.Deletes) != len(want) || k.Deletes[0] != want[0] || k.Deletes[1] != want[1] || k.Deletes[2] != want[2] {
		t.Errorf("delete_module calls %v; want %v", k.Deletes, want)
	}

	k.DeleteErrno = syscall.EBUSY
	if status, out, errs := run("rmmod", "test"); status != 1 || out != "" || errs != "rmmod: test: test: in use by 1 patch (kpatch_test1)\n" {
		t.Errorf("refused: %d, %q, %q", status, out, errs)
	}
	k.Answers["lasterror"] = kctltest.Answer{Errno: syscall.ENOENT}
	k.DeleteErrno = syscall.ENOENT
	if status, _, errs := run("rmmod", "x", "y.ko"); status != 1 || errs != "rmmod: x: no such file or directory\nrmmod: y.ko: no such file or directory\n" {
		t.Errorf("refused without reason: %d, %q", status, errs)
	}

	n := len(k.Deletes)
	for _, tc := range []struct {
		args []string
		errs string
	}{
		{[]string{"rmmod"}, "usage: rmmod module ...\n"},
		{[]string{"rmmod", "a", ""}, "rmmod: bad module name \"\"\nusage: rmmod"},
		{[]string{"rmmod", "-f", "a"}, "flag provided but not defined: -f\n"},
	} {
		if status, out, errs := run(tc.args...); status != 2 || out != "" || !strings.HasPrefix(errs, tc.errs) {
			t.Errorf("%q: %d, %q, %q; want 2, %q", tc.args, status, out, errs, tc.errs)
		}
	}
	if len(k.Deletes) != n {
		t.Errorf("delete_module called on a usage error: %v", k.Deletes[n:])
	}
}
