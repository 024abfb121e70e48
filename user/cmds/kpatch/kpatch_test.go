package kpatch

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

func TestKpatch(t *testing.T) {
	const list = "kpatch_test1 0xc0101230: test:test2 0xc8001234\n"
	k := kctltest.Install(t, &kctltest.Kernel{Answers: map[string]kctltest.Answer{
		"kpatch kpatch_test1 0xc8001234":    {Text: "kpatch_test1 -> test:test2\n"},
		"kpatch kpatch_test1 notanumber":    {Text: "notanumber: no such symbol", Errno: syscall.ENOENT},
		"kpatch kpatch_test1 0xc0101231":    {Text: "0xc0101231 is not the start of a function", Errno: syscall.EINVAL},
		"kpatch -u kpatch_test1":            {Text: "kpatch_test1: patch to test:test2 removed"},
		"kpatch -u kpatch_test1 0xc8001234": {Text: ""},
		"kpatch -l":                         {Text: list},
		"kpatch -d kpatch_test1":            {Text: "0xc0101230 MOVL $1, 0x4(SP)\n0xc0101238 RET\n"},
		"kpatch -f greeting farewell":       {Text: "patched\n"},
		"kpatch -s":                         {Text: "patchable: 1\n"},
		"kpatch -t":                         {Text: "patch 0 median 0 min 0 max 0 ns\n"},
	}})
	for _, tc := range []struct {
		args   []string
		status int
		req    string // what the kernel got; "" for none
		out    string
		errs   string // a prefix of stderr
	}{
		{[]string{"kpatch", "kpatch_test1", "0xc8001234"}, 0, "kpatch kpatch_test1 0xc8001234", "kpatch_test1 -> test:test2\n", ""},
		{[]string{"kpatch", "kpatch_test1", "notanumber"}, 1, "kpatch kpatch_test1 notanumber", "", "kpatch: notanumber: no such symbol\n"},
		{[]string{"kpatch", "kpatch_test1", "0xc0101231"}, 1, "kpatch kpatch_test1 0xc0101231", "", "kpatch: 0xc0101231 is not the start of a function\n"},
		{[]string{"kpatch", "-u", "kpatch_test1"}, 0, "kpatch -u kpatch_test1", "kpatch_test1: patch to test:test2 removed\n", ""},
		{[]string{"kpatch", "-u", "kpatch_test1", "0xc8001234"}, 0, "kpatch -u kpatch_test1 0xc8001234", "", ""},
		{[]string{"kpatch", "-l"}, 0, "kpatch -l", list, ""},
		{[]string{"kpatch", "-d", "kpatch_test1"}, 0, "kpatch -d kpatch_test1", "0xc0101230 MOVL $1, 0x4(SP)\n0xc0101238 RET\n", ""},
		{[]string{"kpatch", "-d", "nosuch"}, 1, "kpatch -d nosuch", "", "kpatch: unknown request\n"},
		{[]string{"kpatch", "-f", "greeting", "farewell"}, 0, "kpatch -f greeting farewell", "patched\n", ""},
		{[]string{"kpatch", "-s"}, 0, "kpatch -s", "patchable: 1\n", ""},
		{[]string{"kpatch", "-t"}, 0, "kpatch -t", "patch 0 median 0 min 0 max 0 ns\n", ""},
		{[]string{"kpatch", "-t", "a"}, 2, "", "", "usage: kpatch"},
		{[]string{"kpatch", "-t", "-s"}, 2, "", "", "kpatch: -u, -l, -d, -f, -s and -t exclude each other\n"},
		// Usage errors: nothing sent.
		{[]string{"kpatch", "-s", "a"}, 2, "", "", "usage: kpatch"},
		{[]string{"kpatch", "-f", "a"}, 2, "", "", "usage: kpatch"},
		{[]string{"kpatch", "-f", "-u", "a", "b"}, 2, "", "", "kpatch: -u, -l, -d, -f, -s and -t exclude each other\n"},
		{[]string{"kpatch"}, 2, "", "", "usage: kpatch [-f] target replacement\n       kpatch -u target [replacement]\n"},
		{[]string{"kpatch", "kpatch_test1"}, 2, "", "", "usage: kpatch"},
		{[]string{"kpatch", "a", "b", "c"}, 2, "", "", "usage: kpatch"},
		{[]string{"kpatch", "-l", "a"}, 2, "", "", "usage: kpatch"},
		{[]string{"kpatch", "-d"}, 2, "", "", "usage: kpatch"},
		{[]string{"kpatch", "-d", "a", "b"}, 2, "", "", "usage: kpatch"},
		{[]string{"kpatch", "-u"}, 2, "", "", "usage: kpatch"},
		{[]string{"kpatch", "-u", "a", "b", "c"}, 2, "", "", "usage: kpatch"},
		{[]string{"kpatch", "-u", "-l", "a"}, 2, "", "", "kpatch: -u, -l, -d, -f, -s and -t exclude each other\n"},
		{[]string{"kpatch", "-x"}, 2, "", "", "flag provided but not defined: -x\n"},
		{[]string{"kpatch", "", "b"}, 2, "", "", "kpatch: bad function \"\"\n"},
		{[]string{"kpatch", "a", " "}, 2, "", "", "kpatch: bad function \" \"\n"},
		{[]string{"kpatch", "a b", "c"}, 2, "", "", "kpatch: bad function \"a b\"\n"},
		{[]string{"kpatch", "a", "-u"}, 2, "", "", "kpatch: bad function \"-u\"\n"},
		{[]string{"kpatch", "-h"}, 0, "", "", "usage: kpatch"},
	} {
		k.Requests = nil
		var out, errs bytes.Buffer
		status := cmdutil.Status("kpatch", Run(tc.args, nil, &out, &errs), &errs)
		if status != tc.status || out.String() != tc.out || !strings.HasPrefix(errs.String(), tc.errs) {
			t.Errorf("%q: %d, %q, %q; want %d, %q, %q", tc.args, status, out.String(), errs.String(), tc.status, tc.out, tc.errs)
		}
		if got := strings.Join(k.Requests, "|"); got != tc.req {
			t.Errorf("%q: sent %q; want %q", tc.args, got, tc.req)
		}
	}
}

func TestLivepatchCommands(t *testing.T) {
	dir := t.TempDir()
	ko := filepath.Join(dir, "lpfix.ko")
	if err := os.WriteFile(ko, []byte("module image"), 0o644); err != nil {
		t.Fatal(err)
	}
	k := kctltest.Install(t, &kctltest.Kernel{Answers: map[string]kctltest.Answer{
		"livepatch last":        {Text: "livepatch lpfix: 2 functions switched\n"},
		"livepatch list":        {Text: "lpfix: enabled, 2 functions\n"},
		"livepatch info lpfix":  {Text: "lpfix: enabled\n"},
		"livepatch info nosuch": {Text: "nosuch is not a loaded livepatch module", Errno: syscall.ENOENT},
	}})
	for _, tc := range []struct {
		args   []string
		status int
		req    string
		out    string
		errs   string
	}{
		{[]string{"kpatch", "load", ko}, 0, "livepatch last", "livepatch lpfix: 2 functions switched\n", ""},
		{[]string{"kpatch", "list"}, 0, "livepatch list", "lpfix: enabled, 2 functions\n", ""},
		{[]string{"kpatch", "info", "lpfix"}, 0, "livepatch info lpfix", "lpfix: enabled\n", ""},
		{[]string{"kpatch", "info", "nosuch"}, 1, "livepatch info nosuch", "", "kpatch: nosuch is not a loaded livepatch module\n"},
		{[]string{"kpatch", "unload", "lpfix"}, 0, "", "livepatch lpfix: reverted and unloaded\n", ""},
		{[]string{"kpatch", "load", filepath.Join(dir, "missing.ko")}, 1, "", "", "kpatch: load " + filepath.Join(dir, "missing.ko") + ": no such file or directory\n"},
	} {
		k.Requests = nil
		var out, errs bytes.Buffer
		status := cmdutil.Status("kpatch", Run(tc.args, nil, &out, &errs), &errs)
		if status != tc.status || out.String() != tc.out || !strings.HasPrefix(errs.String(), tc.errs) {
			t.Errorf("%q: %d, %q, %q; want %d, %q, %q", tc.args, status, out.String(), errs.String(), tc.status, tc.out, tc.errs)
		}
		if got := strings.Join(k.Requests, "|"); got != tc.req {
			t.Errorf("%q: sent %q; want %q", tc.args, got, tc.req)
		}
	}
	if len(k.Inits) != 1 || k.Inits[0].Image != "module image" {
		t.Errorf("init_module calls: %+v", k.Inits)
	}
	if len(k.Deletes) != 1 || k.Deletes[0].Name != "lpfix" {
		t.Errorf("delete_module calls: %+v", k.Deletes)
	}
	k.DeleteErrno = syscall.EBUSY
	var out, errs bytes.Buffer
	if status := cmdutil.Status("kpatch", Run([]string{"kpatch", "unload", "lpfix"}, nil, &out, &errs), &errs); status != 1 || !strings.HasPrefix(errs.String(), "kpatch: unload lpfix: ") {
		t.Errorf("a refused unload: %d %q", status, errs.String())
	}
}
