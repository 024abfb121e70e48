package proc

import (
	"strings"
	"testing"

	"gojos/kern/abi/linux"
)

func TestGuardRecovers(t *testing.T) {
	before := KernelBugs()
	var got any
	ret, exit := guard(func() (int32, bool) {
		var s []int
		i := -1
		return int32(s[i+len(s)]), false
	}, func(v any) { got = v })
	if ret != 0 || !exit {
		t.Errorf("guard = %d, %v; want 0, true (the thread ends)", ret, exit)
	}
	if got == nil || !strings.Contains(got.(error).Error(), "index out of range [-1]") {
		t.Errorf("bug got %v", got)
	}
	if KernelBugs() != before+1 {
		t.Errorf("KernelBugs = %d, want %d", KernelBugs(), before+1)
	}
}

func TestGuardPassesResults(t *testing.T) {
	called := false
	ret, exit := guard(func() (int32, bool) { return -9, false }, func(any) { called = true })
	if ret != -9 || exit || called {
		t.Errorf("guard = %d, %v (bug called: %v)", ret, exit, called)
	}
}

func TestCallString(t *testing.T) {
	for _, tc := range []struct {
		name string
		a    [6]uint32
		want string
	}{
		{"fcntl64", [6]uint32{0, 0, 0xffffffff}, "fcntl64(0x0, 0x0, 0xffffffff)"},
		{"getpid", [6]uint32{}, "getpid(0x0, 0x0, 0x0)"},
		{"mmap2", [6]uint32{0, 4096, 3, 0x22, 0xffffffff, 0}, "mmap2(0x0, 0x1000, 0x3, 0x22, 0xffffffff)"},
		{"syscall_999", [6]uint32{1, 2, 3, 4, 5, 6}, "syscall_999(0x1, 0x2, 0x3, 0x4, 0x5, 0x6)"},
	} {
		if got := callString(tc.name, tc.a); got != tc.want {
			t.Errorf("callString = %q, want %q", got, tc.want)
		}
	}
}

// A panic in a system call's handler is caught by guardedDispatch, counted
// as a kernel bug, and ends the thread; the call is named in the report.
func TestGuardedDispatchPanic(t *testing.T) {
	tp := newProc(t)
	i := sysIndex[linux.SYS_getpid]
	saved := Syscalls[i].Fn
	Syscalls[i].Fn = func(*Thread, *args) int32 { panic("injected") }
	defer func() { Syscalls[i].Fn = saved }()
	before := KernelBugs()
	tp.t.sysArgs = args{1, 2, 3}
	ret, exit := tp.t.guardedDispatch(linux.SYS_getpid, &tp.t.sysArgs)
	if ret != 0 || !exit {
		t.Errorf("guardedDispatch = %d, %v; want 0, true (the thread ends)", ret, exit)
	}
	if got := KernelBugs() - before; got != 1 {
		t.Errorf("kernel bugs counted: %d, want 1", got)
	}
	if !tp.p.isExiting() {
		t.Error("the process does not exit after a kernel bug in its system call")
	}
}
