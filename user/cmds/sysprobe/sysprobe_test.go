package sysprobe

import (
	"bytes"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"gojos/user/internal/cmdutil"
)

// On a Linux host the fd and signal probes check the expected answers
// against the real thing: gojos must answer as Linux does.
func TestProbesAgainstLinux(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Linux system calls")
	}
	var out, errb bytes.Buffer
	err := Run([]string{"sysprobe", "fd", "signal", "jobctl", "restart"}, nil, &out, &errb)
	if err != nil {
		t.Fatalf("sysprobe fd signal jobctl restart: %v\n%s%s", err, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "fcntl(0, F_DUPFD, 0xffffffff) = EINVAL (want EINVAL) ok") ||
		!strings.Contains(out.String(), "kill(0, 0x64) = EINVAL (want EINVAL) ok") {
		t.Errorf("output:\n%s", out.String())
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"sysprobe"}, {"sysprobe", "bogus"}, {"sysprobe", "fd", "bogus"}} {
		var out, errb bytes.Buffer
		if err := Run(args, nil, &out, &errb); err != cmdutil.Usage {
			t.Errorf("%q: %v, want usage", args, err)
		}
		if out.Len() != 0 {
			t.Errorf("%q ran probes before checking its arguments: %s", args, out.String())
		}
	}
}

func TestErrnoName(t *testing.T) {
	if ErrnoName(syscall.EINVAL) != "EINVAL" || ErrnoName(syscall.Errno(200)) != "errno 200" {
		t.Error(ErrnoName(syscall.EINVAL), ErrnoName(200))
	}
}
