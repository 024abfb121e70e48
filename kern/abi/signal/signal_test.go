package signal

import (
	"encoding/binary"
	"testing"

	"gojos/kern/abi/linux"
	"gojos/kern/arch/x86"
)

func TestActionRoundTrip(t *testing.T) {
	a := Action{Handler: 0x8049000, Flags: linux.SA_ONSTACK | linux.SA_RESTORER, Restorer: 0x8048000, Mask: 0x8000000100000002}
	var b [linux.SigactionSize]byte
	a.Put(b[:])
	if binary.LittleEndian.Uint32(b[linux.SaFlags:]) != a.Flags || binary.LittleEndian.Uint64(b[linux.SaMask:]) != a.Mask {
		t.Fatalf("layout: % x", b)
	}
	if got := GetAction(b[:]); got != a {
		t.Errorf("round trip: %+v, want %+v", got, a)
	}
}

func TestStackAndChange(t *testing.T) {
	s := Stack{SP: 0x1000, Size: 0x2000}
	var b [linux.StackTSize]byte
	s.Put(b[:])
	if GetStack(b[:]) != s {
		t.Error("stack_t round trip")
	}
	if !s.On(0x3000) || s.On(0x1000) || s.On(0x3001) || (Stack{Flags: linux.SS_DISABLE, SP: 0, Size: 0x10000}).On(5) {
		t.Error("On")
	}
	if r := s.Report(0x2000); r.Flags != linux.SS_ONSTACK || r.SP != s.SP || r.Size != s.Size {
		t.Errorf("Report on the stack: %+v", r)
	}
	if r := (Stack{}).Report(0x2000); r.Flags != linux.SS_DISABLE {
		t.Errorf("Report without a stack: %+v", r)
	}
	for _, c := range []struct {
		in   Stack
		want Stack
		err  linux.Errno
	}{
		{Stack{Flags: linux.SS_DISABLE, SP: 9}, Stack{Flags: linux.SS_DISABLE}, 0},
		{Stack{Flags: linux.SS_ONSTACK, SP: 9, Size: 1 << 16}, Stack{SP: 9, Size: 1 << 16}, 0},
		{Stack{Flags: 4, SP: 9, Size: 1 << 16}, Stack{}, linux.EINVAL},
		{Stack{SP: 9, Size: linux.MINSIGSTKSZ - 1}, Stack{}, linux.ENOMEM},
		{Stack{SP: 9, Size: linux.MINSIGSTKSZ}, Stack{SP: 9, Size: linux.MINSIGSTKSZ}, 0},
	} {
		got, err := Change(c.in)
		if got != c.want || err != c.err {
			t.Errorf("Change(%+v) = %+v, %v; want %+v, %v", c.in, got, err, c.want, c.err)
		}
	}
}

func TestMaskAndNext(t *testing.T) {
	kill := Bit(linux.SIGKILL)
	if m, e := Mask(0, linux.SIG_BLOCK, kill|Bit(linux.SIGINT)); e != 0 || m != Bit(linux.SIGINT) {
		t.Errorf("SIGKILL blocked: %#x", m)
	}
	if m, _ := Mask(Bit(2)|Bit(3), linux.SIG_UNBLK, Bit(2)); m != Bit(3) {
		t.Error("unblock")
	}
	if m, _ := Mask(Bit(2), linux.SIG_SETMK, Bit(5)); m != Bit(5) {
		t.Error("setmask")
	}
	if _, e := Mask(0, 3, 0); e != linux.EINVAL {
		t.Error("bad how accepted")
	}
	if Next(0) != 0 || Next(Bit(linux.SIGURG)|Bit(linux.SIGSEGV)) != linux.SIGSEGV || Next(Bit(64)) != 64 {
		t.Error("Next")
	}
	if !Valid(0) || !Valid(64) || Valid(65) || Valid(0x80000000) {
		t.Error("Valid")
	}
	if !DefaultIgnored(linux.SIGCHLD) || DefaultIgnored(linux.SIGTERM) {
		t.Error("DefaultIgnored")
	}
	a := Action{Mask: Bit(linux.SIGSTOP) | Bit(4)}
	if got := AfterDelivery(0, 10, a); got != Bit(10)|Bit(4) {
		t.Errorf("AfterDelivery = %#x", got)
	}
	a.Flags = linux.SA_NODEFER
	if got := AfterDelivery(0, 10, a); got != Bit(4) {
		t.Errorf("AfterDelivery with SA_NODEFER = %#x", got)
	}
}

func TestFrame(t *testing.T) {
	st := Stack{SP: 0x40000, Size: 0x8000}
	f, fp := Frame(0x7fff1234, linux.SA_ONSTACK, st)
	if fp%64 != 0 || fp+linux.FPStateSize > st.SP+st.Size || (f+4)%16 != 0 || f+linux.SigframeSize > fp || f < st.SP {
		t.Errorf("on the alternate stack: f=%#x fp=%#x", f, fp)
	}
	if f2, _ := Frame(0x47000, linux.SA_ONSTACK, st); f2 >= 0x47000 || f2 < 0x46000 {
		t.Errorf("already on the alternate stack: frame at %#x", f2)
	}
	if f3, _ := Frame(0x7fff1234, 0, st); f3 < 0x7fff0000 {
		t.Errorf("without SA_ONSTACK: %#x", f3)
	}

	var mc Context
	for i := range mc {
		mc[i] = uint32(0x100 + i)
	}
	frame := make([]byte, linux.SigframeSize)
	for i := range frame {
		frame[i] = 0xAA // Build must clear what it does not set
	}
	Build(frame, f, Info{linux.SIGSEGV, linux.SEGV_MAPERR, 0xdead}, 0x8048123, st, &mc, Bit(3)|Bit(linux.SIGKILL))
	w := func(off int) uint32 { return binary.LittleEndian.Uint32(frame[off:]) }
	if w(0) != 0x8048123 || w(4) != linux.SIGSEGV || w(8) != f+linux.SigframeInfo || w(12) != f+linux.SigframeUc {
		t.Error("handler arguments")
	}
	if w(linux.SigframeInfo) != linux.SIGSEGV || w(linux.SigframeInfo+4) != 0 || w(linux.SigframeInfo+8) != linux.SEGV_MAPERR || w(linux.SigframeInfo+12) != 0xdead {
		t.Error("siginfo")
	}
	if w(linux.SigframeUc) != 0 || w(linux.SigframeUc+linux.UcStack+8) != st.Size || w(linux.SigframeUc+linux.UcMcontext+4*linux.ScEIP) != mc[linux.ScEIP] {
		t.Error("ucontext")
	}
	got, mask := Read(frame)
	if got != mc || mask != Bit(3) {
		t.Errorf("Read: mask %#x (SIGKILL must not come back blocked)", mask)
	}
	esp, eip, eax, edx, ecx := HandlerEntry(f, 11, 0x8049000)
	if esp != f || eip != 0x8049000 || eax != 11 || edx != w(8) || ecx != w(12) {
		t.Error("HandlerEntry")
	}
}

func TestFromTrap(t *testing.T) {
	for _, c := range []struct {
		trap uint32
		want Info
	}{
		{x86.TrapDivide, Info{linux.SIGFPE, linux.FPE_INTDIV, 0x1000}},
		{x86.TrapIllegal, Info{linux.SIGILL, linux.ILL_ILLOPN, 0x1000}},
		{x86.TrapBreak, Info{linux.SIGTRAP, 0, 0x1000}},
		{x86.TrapGPF, Info{linux.SIGSEGV, 0, 0}},
		{x86.TrapStack, Info{linux.SIGSEGV, 0, 0}},
		{x86.TrapAlign, Info{linux.SIGBUS, linux.BUS_ADRALN, 0}},
		{x86.TrapFPU, Info{linux.SIGFPE, 0, 0x1000}},
		{x86.TrapSIMD, Info{linux.SIGFPE, 0, 0x1000}},
	} {
		got, known := FromTrap(c.trap, 0x1000)
		if !known || got != c.want {
			t.Errorf("trap %d: %+v (%v), want %+v", c.trap, got, known, c.want)
		}
	}
	if _, known := FromTrap(x86.TrapDouble, 0); known {
		t.Error("a double fault is not a user signal")
	}
	if FromPageFault(x86.PFPresent|x86.PFWrite, 5) != (Info{linux.SIGSEGV, linux.SEGV_ACCERR, 5}) ||
		FromPageFault(x86.PFWrite, 6) != (Info{linux.SIGSEGV, linux.SEGV_MAPERR, 6}) {
		t.Error("FromPageFault")
	}
}
