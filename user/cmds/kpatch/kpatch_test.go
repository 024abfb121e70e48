package kpatch

import (
	"bytes"
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
		// Usage errors: nothing sent.
		{[]string{"kpatch", "-s", "a"}, 2, "", "", "usage: kpatch"},
		{[]string{"kpatch", "-f", "a"}, 2, "", "", "usage: kpatch"},
		{[]string{"kpatch", "-f", "-u", "a", "b"}, 2, "", "", "kpatch: -u, -l, -d, -f and -s exclude each other\n"},
		{[]string{"kpatch"}, 2, "", "", "usage: kpatch [-f] target replacement\n       kpatch -u target [replacement]\n"},
		{[]string{"kpatch", "kpatch_test1"}, 2, "", "", "usage: kpatch"},
		{[]string{"kpatch", "a", "b", "c"}, 2, "", "", "usage: kpatch"},
		{[]string{"kpatch", "-l", "a"}, 2, "", "", "usage: kpatch"},
		{[]string{"kpatch", "-d"}, 2, "", "", "usage: kpatch"},
		{[]string{"kpatch", "-d", "a", "b"}, 2, "", "", "usage: kpatch"},
		{[]string{"kpatch", "-u"}, 2, "", "", "usage: kpatch"},
		{[]string{"kpatch", "-u", "a", "b", "c"}, 2, "", "", "usage: kpatch"},
		{[]string{"kpatch", "-u", "-l", "a"}, 2, "", "", "kpatch: -u, -l, -d, -f and -s exclude each other\n"},
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
