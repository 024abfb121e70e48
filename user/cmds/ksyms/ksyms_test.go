package ksyms

import (
	"bytes"
	"strings"
	"syscall"
	"testing"

	"gojos/user/internal/cmdutil"
	"gojos/user/internal/kctl/kctltest"
)

func TestKsyms(t *testing.T) {
	k := kctltest.Install(t, &kctltest.Kernel{Answers: map[string]kctltest.Answer{
		"ksyms test2":      {Text: "0xc8001234 test:test2\n"},
		"ksyms 0xc0101235": {Text: "0xc0101235 gojos/kern/kpatch.kpatch_test1+0x1"},
		"ksyms nosuch":     {Text: "no symbol nosuch", Errno: syscall.ENOENT},
	}})
	for _, tc := range []struct {
		args   []string
		status int
		out    string
		errs   string // a prefix of stderr
	}{
		{[]string{"ksyms", "test2"}, 0, "0xc8001234 test:test2\n", ""},
		{[]string{"ksyms", "0xc0101235"}, 0, "0xc0101235 gojos/kern/kpatch.kpatch_test1+0x1\n", ""},
		{[]string{"ksyms", "nosuch"}, 1, "", "ksyms: no symbol nosuch\n"},
		{[]string{"ksyms"}, 2, "", "usage: ksyms name|address\n"},
		{[]string{"ksyms", "a", "b"}, 2, "", "usage: ksyms name|address\n"},
		{[]string{"ksyms", ""}, 2, "", "ksyms: bad symbol \"\"\nusage: ksyms"},
		{[]string{"ksyms", "a\tb"}, 2, "", "ksyms: bad symbol \"a\\tb\"\nusage: ksyms"},
	} {
		k.Requests = nil
		var out, errs bytes.Buffer
		status := cmdutil.Status("ksyms", Run(tc.args, nil, &out, &errs), &errs)
		if status != tc.status || out.String() != tc.out || !strings.HasPrefix(errs.String(), tc.errs) {
			t.Errorf("%q: %d, %q, %q; want %d, %q, %q", tc.args, status, out.String(), errs.String(), tc.status, tc.out, tc.errs)
		}
		if tc.status == 2 && len(k.Requests) != 0 {
			t.Errorf("%q: usage error sent %q", tc.args, k.Requests)
		}
	}
}
