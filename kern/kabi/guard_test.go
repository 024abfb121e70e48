package kabi

import "testing"

func TestDescribe(t *testing.T) {
	for _, c := range []struct {
		f    Fault
		want string
	}{
		{Fault{Trapno: 14, Err: 2, Addr: 0, Eip: 0x7d6012}, "page fault (write) at address 0x0, pc 0x7d6012"},
		{Fault{Trapno: 14, Err: 0x11, Addr: 0xdeadbeef, Eip: 0xdeadbeef}, "page fault (instruction fetch) at address 0xdeadbeef, pc 0xdeadbeef"},
		{Fault{Trapno: 14, Err: 0, Addr: 0x10, Eip: 1}, "page fault (read) at address 0x10, pc 0x1"},
		{Fault{Trapno: 14, Err: 0, Addr: 0x1234, Eip: 0x1234}, "page fault (instruction fetch) at address 0x1234, pc 0x1234"},
		{Fault{Trapno: 13, Err: 0x48, Eip: 0xffffffff}, "general protection fault (error code 0x48), pc 0xffffffff"},
		{Fault{Trapno: 6, Eip: 0x1000}, "invalid opcode, pc 0x1000"},
		{Fault{Trapno: TrapSyscall, Eip: 0x1000}, "system call, pc 0x1000"},
		{Fault{Trapno: 99, Eip: 0}, "exception 0x63, pc 0x0"},
	} {
		if got := c.f.Describe(); got != c.want {
			t.Errorf("%+v: got %q, want %q", c.f, got, c.want)
		}
	}
	e := &FaultError{Lost: true}
	if e.Error() != "module code faulted (details lost)" {
		t.Error(e.Error())
	}
}

func TestRecordRing(t *testing.T) {
	var g Guard
	g.Active, g.Kind, g.Fn = 1, FaultInPatch, 0x1234
	for i := uint32(1); i <= FaultRingSize+3; i++ {
		g.Active = 1
		g.Record(14, 2, 0x100+i, i, 0x200)
		if g.Active != 0 {
			t.Fatal("Record left the guard active")
		}
		f := g.Ring[g.Seq%FaultRingSize]
		if f.Seq != i || f.Eip != 0x100+i || f.Addr != i || f.Fn != 0x1234 || f.Kind != FaultInPatch {
			t.Fatalf("fault %d recorded as %+v", i, f)
		}
	}
}
