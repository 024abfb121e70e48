package uname

import (
	"bytes"
	"strings"
	"testing"

	"gojos/kern/procinfo"
	"gojos/user/internal/cmdutil"
)

func TestSelectAndFormat(t *testing.T) {
	u := procinfo.Uname("go1.26.8")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "gojos\n"},
		{[]string{"-a"}, "gojos gojos 0.1 #1 go1.26.8 i686 gojos\n"},
		{[]string{"-r"}, "0.1\n"},
		{[]string{"-rs"}, "gojos 0.1\n"},
		{[]string{"-m", "-n"}, "gojos i686\n"},
		{[]string{"-v"}, "#1 go1.26.8\n"},
	} {
		f, err := Select(tc.args)
		if err != nil {
			t.Fatalf("%q: %v", tc.args, err)
		}
		if got := Format(u, f); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.args, got, tc.want)
		}
	}
	if got := Format(procinfo.Utsname{Sysname: "Linux"}, "o"); got != "GNU/Linux\n" {
		t.Errorf("Linux -o: %q", got)
	}
	for _, bad := range [][]string{{"-x"}, {"x"}, {"-"}} {
		if _, err := Select(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestRun(t *testing.T) {
	saved := Uname
	t.Cleanup(func() { Uname = saved })
	// On the host, uname(2) answers for the host kernel.
	var out, errs bytes.Buffer
	if st := cmdutil.Status("uname", Run([]string{"uname", "-s"}, nil, &out, &errs), &errs); st != 0 || out.String() != "Linux\n" {
		t.Errorf("host uname -s: %d %q %q", st, out.String(), errs.String())
	}
	Uname = func() (procinfo.Utsname, error) { return procinfo.Uname("go1.26.8"), nil }
	out.Reset()
	if st := cmdutil.Status("uname", Run([]string{"uname", "-a"}, nil, &out, &errs), &errs); st != 0 || !strings.HasPrefix(out.String(), "gojos gojos 0.1 ") {
		t.Errorf("uname -a: %d %q", st, out.String())
	}
	errs.Reset()
	if st := cmdutil.Status("uname", Run([]string{"uname", "-z"}, nil, &out, &errs), &errs); st != 2 || !strings.Contains(errs.String(), "unknown option -z") {
		t.Errorf("uname -z: %d %q", st, errs.String())
	}
}
