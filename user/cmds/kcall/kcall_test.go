package kcall

import (
	"bytes"
	"strings"
	"syscall"
	"testing"

	"gojos/user/internal/cmdutil"
	"gojos/user/internal/kctl/kctltest"
)

func TestKcall(t *testing.T) {
	k := kctltest.Install(t, &kctltest.Kernel{Answers: map[string]kctltest.Answer{
		"kcall kpatch_test1":                   {Text: "kpatch_test1 returned 1\n"},
		"kcall 0xc8001234":                     {Text: "test:test2 returned 0"},
		"kcall nosuch":                         {Text: "no symbol nosuch", Errno: syscall.ENOENT},
		"kcall 0x1":                            {Errno: syscall.EFAULT},
		"kcall strconv.Itoa 42":                {Text: "strconv.Itoa returned \"42\"\n"},
		`kcall strings.ToUpper "a b" "" "\"q"`: {Text: "ok\n"},
	}})
	for _, tc := range []struct {
		args   []string
		status int
		out    string
		errs   string // a prefix of stderr
	}{
		{[]string{"kcall", "kpatch_test1"}, 0, "kpatch_test1 returned 1\n", ""},
		{[]string{"kcall", "0xc8001234"}, 0, "test:test2 returned 0\n", ""},
		{[]string{"kcall", "nosuch"}, 1, "", "kcall: no symbol nosuch\n"},
		{[]string{"kcall", "0x1"}, 1, "", "kcall: bad address\n"},
		{[]string{"kcall", "strconv.Itoa", "42"}, 0, "strconv.Itoa returned \"42\"\n", ""},
		{[]string{"kcall", "strings.ToUpper", "a b", "", "\"q"}, 0, "ok\n", ""},
		{[]string{"kcall"}, 2, "", "usage: kcall name|address [argument...]\n"},
		{[]string{"kcall", ""}, 2, "", "kcall: bad function \"\"\nusage: kcall"},
		{[]string{"kcall", "a b"}, 2, "", "kcall: bad function \"a b\"\nusage: kcall"},
		{[]string{"kcall", "-x"}, 2, "", "flag provided but not defined: -x\n"},
		{[]string{"kcall", "-h"}, 0, "", "usage: kcall"},
	} {
		k.Requests = nil
		var out, errs bytes.Buffer
		status := cmdutil.Status("kcall", Run(tc.args, nil, &out, &errs), &errs)
		if status != tc.status || out.String() != tc.out || !strings.HasPrefix(errs.String(), tc.errs) {
			t.Errorf("%q: %d, %q, %q; want %d, %q, %q", tc.args, status, out.String(), errs.String(), tc.status, tc.out, tc.errs)
		}
		if tc.status == 2 && len(k.Requests) != 0 {
			t.Errorf("%q: usage error sent %q", tc.args, k.Requests)
		}
	}
}
