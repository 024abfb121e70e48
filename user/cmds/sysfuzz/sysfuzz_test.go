package sysfuzz

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"gojos/kern/abi/linux"
	"gojos/user/internal/cmdutil"
)

// The children's calls are faked on the host (random system calls on a
// developer's machine would be dangerous): call 7 kills its child, call 13
// exits it, call 21 hangs it; the rest succeed (even index) or fail.
func fakeIssue(c Call, a [6]uint32) (uint32, syscall.Errno) {
	switch c.Index {
	case 7:
		syscall.Kill(syscall.Getpid(), syscall.SIGKILL)
	case 13:
		os.Exit(9)
	case 21:
		time.Sleep(time.Hour)
	}
	if c.Index%2 == 0 {
		return 0, 0
	}
	return 0, syscall.ENOSYS
}

func TestMain(m *testing.M) {
	if os.Getenv("SYSFUZZ_HELPER") != "" {
		issue = fakeIssue
		err := Run(append([]string{"sysfuzz"}, os.Args[1:]...), os.Stdin, os.Stdout, os.Stderr)
		os.Exit(cmdutil.Status("sysfuzz", err, os.Stderr))
	}
	ChildCommand = func(_ []string, args ...string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], args...)
		cmd.Env = append(os.Environ(), "SYSFUZZ_HELPER=1")
		return cmd
	}
	os.Exit(m.Run())
}

func TestCampaignAccounting(t *testing.T) {
	var out, errb bytes.Buffer
	err := Run([]string{"sysfuzz", "-seed", "3", "-n", "40", "-per", "10", "-hang", "500ms", "-v"}, nil, &out, &errb)
	if err != nil {
		t.Fatalf("%v\n%s%s", err, out.String(), errb.String())
	}
	// 40 calls: 3 (odd-indexed) end their child, 37 report; the 20
	// even-indexed ones succeed.
	for _, want := range []string{
		"sysfuzz: seed 3: 40 calls (#0-#39) in ",
		"sysfuzz: ok 20, errno 17, child killed 1, child exited 1, hung 1 (deaths after a child's last call: 0)",
		"sysfuzz: errnos: ENOSYS 17",
		"sysfuzz: signals: SIGKILL 1",
		"#7 ", "child killed by SIGKILL",
		"#13 ", "child exited with status 9",
		"#21 ", "child hung",
		"sysfuzz: kernel alive",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestGenerateDeterministic(t *testing.T) {
	for i := 0; i < 2000; i++ {
		a, b := Generate(5, i), Generate(5, i)
		if a != b {
			t.Fatalf("call %d differs: %v, %v", i, a, b)
		}
	}
	same := 0
	for i := 0; i < 100; i++ {
		if Generate(5, i) == Generate(6, i) {
			same++
		}
	}
	if same > 5 {
		t.Errorf("seeds 5 and 6 share %d of 100 calls", same)
	}
}

func TestGenerateNeverIssuesSkipped(t *testing.T) {
	seen := map[uint32]bool{}
	for i := 0; i < 20000; i++ {
		c := Generate(11, i)
		if skipped()[c.Nr] {
			t.Fatalf("%v is a skipped call", c)
		}
		seen[c.Nr] = true
		for _, x := range c.Args {
			if x.Kind == argString && int(x.V) >= len(Strings) {
				t.Fatalf("%v: string index out of range", c)
			}
		}
	}
	if len(seen) < 300 {
		t.Errorf("only %d distinct numbers in 20000 calls", len(seen))
	}
	if len(Strings)*strSlot > arenaSize-strOff {
		t.Errorf("%d strings do not fit the arena", len(Strings))
	}
}

func TestSanitize(t *testing.T) {
	const base, pid, tid = 0x10000000, 42, 43
	for _, tc := range []struct {
		nr   uint32
		in   [6]uint32
		want [6]uint32
	}{
		{linux.SYS_kill, [6]uint32{1, 9}, [6]uint32{pid, 9}},
		{linux.SYS_kill, [6]uint32{0, 9}, [6]uint32{pid, 9}},
		{linux.SYS_kill, [6]uint32{0xffffffff, 9}, [6]uint32{pid, 9}},
		{linux.SYS_kill, [6]uint32{0xfffffffe, 9}, [6]uint32{pid, 9}},
		{linux.SYS_kill, [6]uint32{0x7fffffff, 9}, [6]uint32{0x7fffffff, 9}},
		{linux.SYS_tgkill, [6]uint32{1, 1, 9}, [6]uint32{pid, tid, 9}},
		{linux.SYS_tkill, [6]uint32{5, 9}, [6]uint32{tid, 9}},
		{linux.SYS_futex, [6]uint32{base, 0, 0, 0}, [6]uint32{base, 0, 0, base}},
		{linux.SYS_futex, [6]uint32{base, 0x80, 0, base + strOff}, [6]uint32{base, 0x80, 0, base}},
		{linux.SYS_futex, [6]uint32{base, 1, 0, 0}, [6]uint32{base, 1, 0, 0}},
		{linux.SYS_nanosleep, [6]uint32{base + strOff}, [6]uint32{base}},
		{linux.SYS_nanosleep, [6]uint32{0xc0000000}, [6]uint32{0xc0000000}},
		{linux.SYS_epoll_wait, [6]uint32{3, base, 1, 0xffffffff}, [6]uint32{3, base, 1, 0}},
		{linux.SYS_clock_nanosleep, [6]uint32{0, 1, 0}, [6]uint32{0, 0, base}},
	} {
		got := tc.in
		sanitize(tc.nr, &got, base, pid, tid)
		if got != tc.want {
			t.Errorf("sanitize(%s, %#x) = %#x, want %#x", Name(tc.nr), tc.in, got, tc.want)
		}
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"sysfuzz", "extra"}, {"sysfuzz", "-n", "-1"}, {"sysfuzz", "-per", "0"}} {
		var out, errb bytes.Buffer
		if err := Run(args, nil, &out, &errb); err != cmdutil.Usage {
			t.Errorf("%q: %v, want usage", args, err)
		}
	}
}
