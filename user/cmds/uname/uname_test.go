package uname

import (
	"bytes"
	"strings"
	"syscall"
	"testing"

	"gojos/user/internal/cmdutil"
)

func TestUname(t *testing.T) {
	old := Uname
	defer func() { Uname = old }()
	Uname = func(u *syscall.Utsname) error {
		set(u.Sysname[:], "gojos")
		set(u.Nodename[:], "box")
		set(u.Release[:], "0.1")
		set(u.Version[:], "gojos 0.1")
		set(u.Machine[:], "i686")
		return nil
	}
	for _, tc := range []struct {
		args   []string
		status int
		out    string
	}{
		{[]string{"uname"}, 0, "gojos\n"},
		{[]string{"uname", "-r"}, 0, "0.1\n"},
		{[]string{"uname", "-a"}, 0, "gojos box 0.1 gojos 0.1 i686\n"},
		{[]string{"uname", "-m", "-s"}, 0, "gojos i686\n"},
		{[]string{"uname", "x"}, 2, ""},
	} {
		var out, errs bytes.Buffer
		status := cmdutil.Status("uname", Run(tc.args, nil, &out, &errs), &errs)
		if status != tc.status || out.String() != tc.out {
			t.Errorf("%q: %d %q (%q), want %d %q", tc.args, status, out.String(), errs.String(), tc.status, tc.out)
		}
	}
	Uname = func(*syscall.Utsname) error { return syscall.ENOSYS }
	var out, errs bytes.Buffer
	if status := cmdutil.Status("uname", Run([]string{"uname"}, nil, &out, &errs), &errs); status != 1 || !strings.Contains(errs.String(), "uname:") {
		t.Errorf("failing system call: %d %q", status, errs.String())
	}
}

func set[T int8 | uint8](f []T, s string) {
	clear(f)
	for i := 0; i < len(s); i++ {
		f[i] = T(s[i])
	}
}
