package vdso

import (
	"encoding/binary"
	"fmt"
	"testing"
	"unsafe"

	"golang.org/x/arch/x86/x86asm"
)

// An interpreter for the few i386 instructions the vDSO code uses, so
// that the tests run the real bytes: every clock id, the fallback, the
// retry, and TSC deltas no boot test reaches (a data page whose epoch is
// hours old).

const (
	emuBase  = 0xBFFF0000 // where processes map the image
	emuStack = 0x10000000 // one page of stack
	emuRet   = 0xDEAD0000 // the caller's return address
)

type emu struct {
	t     *testing.T
	img   [Size]byte
	stack [PageSize]byte
	r     [8]uint32 // EAX … EDI
	zf    bool
	cf    bool
	// rdtsc is called for each RDTSC; syscall for each INT $0x80 (it
	// returns EAX).
	rdtsc   func() uint64
	syscall func(nr, b, c uint32) uint32
	steps   int
}

func (e *emu) mem(a uint32, n uint32) []byte {
	switch {
	case a >= emuBase && a+n <= emuBase+Size:
		return e.img[a-emuBase : a-emuBase+n]
	case a >= emuStack && a+n <= emuStack+PageSize:
		return e.stack[a-emuStack : a-emuStack+n]
	}
	e.t.Fatalf("access to %#x outside the image and the stack", a)
	return nil
}

func (e *emu) load(a uint32) uint32     { return binary.LittleEndian.Uint32(e.mem(a, 4)) }
func (e *emu) store(a uint32, v uint32) { binary.LittleEndian.PutUint32(e.mem(a, 4), v) }

func (e *emu) reg(r x86asm.Reg) *uint32 {
	if r < x86asm.EAX || r > x86asm.EDI {
		e.t.Fatalf("register %v", r)
	}
	return &e.r[r-x86asm.EAX]
}

func (e *emu) addr(m x86asm.Mem) uint32 {
	a := uint32(m.Disp)
	if m.Base != 0 {
		a += *e.reg(m.Base)
	}
	if m.Index != 0 {
		a += *e.reg(m.Index) * uint32(m.Scale)
	}
	return a
}

func (e *emu) get(a x86asm.Arg) uint32 {
	switch a := a.(type) {
	case x86asm.Reg:
		if a == x86asm.CL {
			return e.r[1] & 0xFF
		}
		return *e.reg(a)
	case x86asm.Mem:
		return e.load(e.addr(a))
	case x86asm.Imm:
		return uint32(a)
	}
	e.t.Fatalf("operand %v", a)
	return 0
}

func (e *emu) set(a x86asm.Arg, v uint32) {
	switch a := a.(type) {
	case x86asm.Reg:
		*e.reg(a) = v
	case x86asm.Mem:
		e.store(e.addr(a), v)
	default:
		e.t.Fatalf("destination %v", a)
	}
}

func (e *emu) push(v uint32) { e.r[4] -= 4; e.store(e.r[4], v) }
func (e *emu) pop() uint32   { v := e.load(e.r[4]); e.r[4] += 4; return v }

// call runs __vdso_clock_gettime(clk, ts) and returns EAX.
func (e *emu) call(clk int32, ts uint32) uint32 {
	e.r = [8]uint32{0x11111111, 0x22222222, 0x33333333, 0x44444444, emuStack + PageSize, 0x66666666, 0x77777777, 0x88888888}
	saved := e.r
	e.push(ts)
	e.push(uint32(clk))
	e.push(emuRet)
	pc := uint32(emuBase) + uint32(Symbol)
	for pc != emuRet {
		if e.steps++; e.steps > 10000 {
			e.t.Fatal("no return after 10000 instructions")
		}
		in, err := x86asm.Decode(e.mem(pc, 16), 32)
		if err != nil {
			e.t.Fatalf("decode at %#x: %v", pc, err)
		}
		next := pc + uint32(in.Len)
		a := in.Args
		switch in.Op {
		case x86asm.PUSH:
			e.push(e.get(a[0]))
		case x86asm.POP:
			e.set(a[0], e.pop())
		case x86asm.CALL:
			e.push(next)
			next += uint32(a[0].(x86asm.Rel))
		case x86asm.RET:
			next = e.pop()
		case x86asm.JE, x86asm.JNE:
			if e.zf == (in.Op == x86asm.JE) {
				next += uint32(a[0].(x86asm.Rel))
			}
		case x86asm.MOV:
			e.set(a[0], e.get(a[1]))
		case x86asm.XOR:
			v := e.get(a[0]) ^ e.get(a[1])
			e.set(a[0], v)
			e.zf, e.cf = v == 0, false
		case x86asm.TEST:
			v := e.get(a[0]) & e.get(a[1])
			e.zf, e.cf = v == 0, false
		case x86asm.CMP:
			x, y := e.get(a[0]), e.get(a[1])
			e.zf, e.cf = x == y, x < y
		case x86asm.INC:
			v := e.get(a[0]) + 1
			e.set(a[0], v)
			e.zf = v == 0
		case x86asm.ADD, x86asm.ADC:
			c := uint64(0)
			if in.Op == x86asm.ADC && e.cf {
				c = 1
			}
			s := uint64(e.get(a[0])) + uint64(e.get(a[1])) + c
			e.set(a[0], uint32(s))
			e.zf, e.cf = uint32(s) == 0, s>>32 != 0
		case x86asm.SUB, x86asm.SBB:
			c := uint64(0)
			if in.Op == x86asm.SBB && e.cf {
				c = 1
			}
			x, y := uint64(e.get(a[0])), uint64(e.get(a[1]))+c
			e.set(a[0], uint32(x-y))
			e.zf, e.cf = uint32(x-y) == 0, x < y
		case x86asm.MUL:
			p := uint64(e.r[0]) * uint64(e.get(a[0]))
			e.r[0], e.r[2] = uint32(p), uint32(p>>32)
		case x86asm.DIV:
			d := uint64(e.get(a[0]))
			n := uint64(e.r[2])<<32 | uint64(e.r[0])
			if d == 0 || n/d>>32 != 0 {
				e.t.Fatalf("divide error at %#x: %#x / %#x", pc, n, d)
			}
			e.r[0], e.r[2] = uint32(n/d), uint32(n%d)
		case x86asm.SHRD:
			n := e.get(a[2]) & 31
			v := uint64(e.get(a[1]))<<32 | uint64(e.get(a[0]))
			e.set(a[0], uint32(v>>n))
		case x86asm.RDTSC:
			v := e.rdtsc()
			e.r[0], e.r[2] = uint32(v), uint32(v>>32)
		case x86asm.INT:
			if e.get(a[0]) != 0x80 {
				e.t.Fatalf("int %v", a[0])
			}
			e.r[0] = e.syscall(e.r[0], e.r[3], e.r[1])
		default:
			e.t.Fatalf("instruction %v not interpreted", in)
		}
		pc = next
	}
	// cdecl: the caller's EBX, ESI, EDI, EBP and ESP are back.
	for _, i := range []int{3, 5, 6, 7} {
		if e.r[i] != saved[i] {
			e.t.Errorf("register %d: %#x, was %#x", i, e.r[i], saved[i])
		}
	}
	if e.r[4] != saved[4]-8 {
		e.t.Errorf("esp %#x after return, want %#x", e.r[4], saved[4]-8)
	}
	return e.r[0]
}

func newEmu(t *testing.T) *emu {
	e := &emu{t: t}
	Build((*[PageSize]byte)(e.img[:PageSize]))
	e.syscall = func(nr, b, c uint32) uint32 {
		t.Fatalf("unexpected system call %d(%d, %#x)", nr, b, c)
		return 0
	}
	return e
}

func (e *emu) data() *Data { return (*Data)(unsafe.Pointer(&e.img[PageSize])) }

const tsAddr = emuStack + 16

func (e *emu) timespec() (sec, nsec uint32) {
	return e.load(tsAddr), e.load(tsAddr + 4)
}

func TestRunFallback(t *testing.T) {
	e := newEmu(t)
	e.rdtsc = func() uint64 { t.Fatal("RDTSC on the fallback path"); return 0 }
	var calls []string
	e.syscall = func(nr, b, c uint32) uint32 {
		calls = append(calls, fmt.Sprintf("%d(%d, %#x)", nr, int32(b), c))
		return uint32(0xFFFFFFEA) // -EINVAL
	}
	// Nothing published: every clock is the system call, whose result is
	// the function's.
	for _, clk := range []int32{0, 1, 4, 7} {
		if r := e.call(clk, tsAddr); r != 0xFFFFFFEA {
			t.Errorf("clock %d: returned %#x", clk, r)
		}
	}
	e.data().Publish(1e9, 0, 0, 0)
	// Clocks the vDSO does not serve.
	for _, clk := range []int32{2, 3, 5, 6, 8, 11, -1, 1 << 20} {
		e.call(clk, tsAddr)
	}
	// A page being written (odd sequence).
	e.data().Seq++
	e.call(1, tsAddr)
	want := []string{"265(0, 0x10000010)", "265(1, 0x10000010)", "265(4, 0x10000010)", "265(7, 0x10000010)",
		"265(2, 0x10000010)", "265(3, 0x10000010)", "265(5, 0x10000010)", "265(6, 0x10000010)",
		"265(8, 0x10000010)", "265(11, 0x10000010)", "265(-1, 0x10000010)", "265(1048576, 0x10000010)",
		"265(1, 0x10000010)"}
	if fmt.Sprint(calls) != fmt.Sprint(want) {
		t.Errorf("system calls %v\nwant %v", calls, want)
	}
}

func TestRunClocks(t *testing.T) {
	e := newEmu(t)
	for _, hz := range []uint64{125e6, 999940800, 2399999999, 3.6e9} {
		const tsc0 = 0x123456789A
		const mono0 = 987654321012
		const realOff = 1_764_000_000_123_456_789 // a 2025 boot, in ns
		e.data().Publish(hz, tsc0, mono0, realOff)
		for _, delta := range []uint64{0, 1, hz / 7, hz - 1, hz, 1<<32 - 1, 1 << 32, 1<<32 + hz/3, 3600 * hz, 86400*hz + 5, 30 * 86400 * hz} {
			tsc := uint64(tsc0 + delta)
			e.rdtsc = func() uint64 { return tsc }
			ref, _ := e.data().Nanos(tsc)
			for _, clk := range []int32{0, 1, 4, 7} {
				if r := e.call(clk, tsAddr); r != 0 {
					t.Fatalf("clock %d returned %#x", clk, r)
				}
				want := ref
				if clk == 0 {
					want += realOff
				}
				sec, nsec := e.timespec()
				if uint64(sec) != want/1e9 || uint64(nsec) != want%1e9 {
					t.Errorf("hz %d delta %d clock %d: %d.%09d, want %d.%09d", hz, delta, clk, sec, nsec, want/1e9, want%1e9)
				}
			}
			// And the reference is the trap path's clock, rounded down.
			exactNS := mono0 + exact(delta, hz)
			if ref > exactNS || exactNS-ref > 2+delta>>e.data().Shift {
				t.Errorf("hz %d delta %d: %d, exact %d", hz, delta, ref, exactNS)
			}
		}
	}
}

// A new epoch published while the code reads makes it read again.
func TestRunRetry(t *testing.T) {
	e := newEmu(t)
	const hz = 1e9
	e.data().Publish(hz, 1000, 0, 0)
	n := 0
	e.rdtsc = func() uint64 {
		if n++; n == 1 {
			// The timer interrupt lands between the sequence read and
			// RDTSC: a new epoch 5 s in.
			e.data().Publish(hz, 1000+5e9, 5e9+7, 0)
		}
		return 1000 + 6e9
	}
	e.call(1, tsAddr)
	if sec, nsec := e.timespec(); n != 2 || sec != 6 || nsec != 7 {
		t.Errorf("after a concurrent epoch: %d.%09d after %d RDTSCs, want 6.000000007 after 2", sec, nsec, n)
	}
}
