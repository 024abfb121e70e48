package plan

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

const base = 0xc0101000

// Real i386 encodings (Intel SDM; checked against objdump output of Go and gcc code).
var (
	// Go's stack-check prologue: MOVL (TLS), CX; CMPL SP, 8(CX); JLS morestack.
	goPrologue = []byte{0x65, 0x8b, 0x0d, 0xfc, 0xff, 0xff, 0xff, 0x3b, 0x61, 0x08, 0x76, 0x20,
		0x83, 0xec, 0x08}
	// The prologue the gojos kernel's linker actually emits (objdump of
	// gojos/kern/kmain.Run): MOVL GS:0, CX; MOVL -4(CX), CX; LEAL -0x80(SP), AX.
	kernelPrologue = []byte{0x65, 0x8b, 0x0d, 0x00, 0x00, 0x00, 0x00, 0x8b, 0x89, 0xfc, 0xff, 0xff, 0xff,
		0x8d, 0x44, 0x24, 0x80}
	// gcc frame prologue: push %ebp; mov %esp,%ebp; sub $0xc,%esp; ret.
	framePrologue = []byte{0x55, 0x89, 0xe5, 0x83, 0xec, 0x0c, 0xc9, 0xc3}
	// gcc -Os: sub $0xc,%esp; push $0; call rel32; add $0x1c,%esp; ret.
	osFunc = []byte{0x83, 0xec, 0x0c, 0x6a, 0x00, 0xe8, 0xfc, 0xff, 0xff, 0xff, 0x83, 0xc4, 0x1c, 0xc3}
	// call rel32 (exactly 5 bytes), then ret.
	callFirst = []byte{0xe8, 0x10, 0x00, 0x00, 0x00, 0xc3}
	// xor %eax,%eax; ret: 3 bytes.
	threeBytes = []byte{0x31, 0xc0, 0xc3}
)

func TestNew(t *testing.T) {
	for _, tc := range []struct {
		name    string
		code    []byte
		size    uint32
		covered int
		insns   []string
	}{
		{"go prologue", goPrologue, 64, 7, []string{"mov %gs:-0x4,%ecx"}},
		{"kernel prologue", kernelPrologue, 0x445, 7, []string{"mov %gs:0x0,%ecx"}},
		{"frame prologue", framePrologue, uint32(len(framePrologue)), 6,
			[]string{"push %ebp", "mov %esp,%ebp", "sub $0xc,%esp"}},
		{"gcc -Os", osFunc, uint32(len(osFunc)), 5, []string{"sub $0xc,%esp", "push $0x0"}},
		{"call first", callFirst, uint32(len(callFirst)), 5, []string{"call 0xc0101015"}},
		{"exactly 5 bytes", callFirst[:5], 5, 5, []string{"call 0xc0101015"}},
	} {
		p, err := New(Func{Name: tc.name, Start: base, Size: tc.size}, base, tc.code, 0xc0102000)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if p.Covered != tc.covered || strings.Join(p.Insns(), "; ") != strings.Join(tc.insns, "; ") {
			t.Errorf("%s: covered %d %q, want %d %q", tc.name, p.Covered, p.Insns(), tc.covered, tc.insns)
		}
		if !bytes.Equal(p.Orig[:], tc.code[:5]) {
			t.Errorf("%s: orig % x", tc.name, p.Orig)
		}
		// rel = 0xc0102000 - (0xc0101000 + 5) = 0xffb
		if want := [5]byte{0xe9, 0xfb, 0x0f, 0x00, 0x00}; p.Patch != want {
			t.Errorf("%s: patch % x, want % x", tc.name, p.Patch, want)
		}
	}
}

func TestNewErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fn     Func
		target uint32
		code   []byte
		repl   uint32
		is     error
		msg    string
	}{
		{"ret only", Func{"retfn", base, 1}, base, []byte{0xc3}, 0xc0102000, ErrTooShort, "retfn is 1 bytes"},
		{"3-byte function", Func{"xorret", base, 3}, base, threeBytes, 0xc0102000, ErrTooShort, "xorret is 3 bytes"},
		{"fn+1", Func{"kpatch_test1", base, 64}, base + 1, goPrologue[1:], 0xc0102000, ErrNotEntry,
			"not a function entry: kpatch_test1+0x1"},
		{"self", Func{"f", base, 64}, base, goPrologue, base, ErrSelf, ""},
		{"invalid opcode", Func{"bad", base, 16}, base, []byte{0x0f, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0xc0102000, ErrDecode, "bad+0x0"},
		{"invalid second", Func{"bad2", base, 16}, base, []byte{0x55, 0xd6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0xc0102000, ErrDecode, "bad2+0x1"},
		{"instruction crosses end", Func{"short", base, 5}, base, framePrologue, 0xc0102000, ErrOutsideFunc, "+0x3"},
		{"not enough bytes", Func{"big", base, 100}, base, framePrologue[:4], 0xc0102000, ErrNotEnough, ""},
		{"no bytes", Func{"big", base, 100}, base, nil, 0xc0102000, ErrNotEnough, ""},
	} {
		p, err := New(tc.fn, tc.target, tc.code, tc.repl)
		if err == nil || !errors.Is(err, tc.is) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: New = %v, %v; want %v containing %q", tc.name, p, err, tc.is, tc.msg)
		}
	}
}

func TestJump(t *testing.T) {
	if got, want := Jump(0xc0101000, 0xc0100000), [5]byte{0xe9, 0xfb, 0xef, 0xff, 0xff}; got != want {
		t.Errorf("backward jump % x, want % x", got, want)
	}
	// Wrap-around: every address is reachable with rel32 on i386.
	j := Jump(0xfffffff0, 0x10)
	if to, ok := JumpTarget(0xfffffff0, j[:]); !ok || to != 0x10 {
		t.Errorf("JumpTarget = %#x %v", to, ok)
	}
	if _, ok := JumpTarget(0, []byte{0xe8, 0, 0, 0, 0}); ok {
		t.Error("call decoded as jump")
	}
}

func TestPatchOverPatch(t *testing.T) {
	// A second patch plans from the first patch's jump, a whole 5-byte instruction.
	p1, err := New(Func{"f", base, 64}, base, goPrologue, 0xc0102000)
	if err != nil {
		t.Fatal(err)
	}
	mem := append(p1.Patch[:], goPrologue[5:]...)
	p2, err := New(Func{"f", base, 64}, base, mem, 0xd0000000)
	if err != nil || p2.Covered != 5 || p2.Orig != p1.Patch {
		t.Fatalf("second plan %v %v", p2, err)
	}
}

func TestInsideAndBody(t *testing.T) {
	p, err := New(Func{"frame", base, 8}, base, framePrologue, 0xc0102000)
	if err != nil {
		t.Fatal(err)
	}
	for eip, want := range map[uint32]bool{base: false, base + 1: true, base + 3: true, base + 5: true, base + 6: false, base - 1: false} {
		if p.Inside(eip) != want {
			t.Errorf("Inside(%#x) = %v", eip, !want)
		}
	}
	if err := p.CheckBody(framePrologue); err != nil {
		t.Errorf("CheckBody: %v", err)
	}
	// A loop back to +3 (inside the patch): jmp rel8 at +6 → +3.
	loop := []byte{0x55, 0x89, 0xe5, 0x83, 0xec, 0x0c, 0xeb, 0xfb}
	if err := p.CheckBody(loop); err == nil || !strings.Contains(err.Error(), "branches to +0x3") {
		t.Errorf("CheckBody(loop) = %v", err)
	}
	// A branch back to the entry itself is fine (it takes the patch).
	entry := []byte{0x55, 0x89, 0xe5, 0x83, 0xec, 0x0c, 0xeb, 0xf8}
	if err := p.CheckBody(entry); err != nil {
		t.Errorf("CheckBody(entry loop) = %v", err)
	}
	if err := p.CheckBody([]byte{0x55, 0x0f, 0x04}); !errors.Is(err, ErrDecode) {
		t.Errorf("CheckBody(bad) = %v", err)
	}
}

func TestDisassemble(t *testing.T) {
	sym := func(a uint32) (string, uint32, bool) {
		switch {
		case a >= 0xc0102000 && a < 0xc0102100:
			return "runtime.morestack_noctxt", 0xc0102000, true
		case a >= base && a < base+0x40:
			return "main.f", base, true
		}
		return "", 0, false
	}
	code := append(append([]byte{}, goPrologue[:12]...), 0xe8, 0xef, 0x0f, 0x00, 0x00, 0xeb, 0xed, 0x0f)
	lines := Disassemble(code, base, 100, sym)
	want := []string{
		"mov %gs:-0x4,%ecx",
		"cmp 0x8(%ecx),%esp",
		"jbe 0xc010102c <main.f+0x2c>",
		"call 0xc0102000 <runtime.morestack_noctxt>",
		"jmp 0xc0101000 <main.f>",
		"(bad)",
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines: %v", len(lines), lines)
	}
	for i, l := range lines {
		if l.Text != want[i] {
			t.Errorf("line %d: %q, want %q", i, l.Text, want[i])
		}
	}
	if lines[3].Addr != base+12 || len(lines[3].Bytes) != 5 {
		t.Errorf("line 3 = %+v", lines[3])
	}
	if s := lines[0].String(); !strings.HasPrefix(s, "c0101000:\t65 8b 0d fc ff ff ff") {
		t.Errorf("String = %q", s)
	}
	if n := len(Disassemble(code, base, 2, nil)); n != 2 {
		t.Errorf("limit: %d lines", n)
	}
}

func FuzzNew(f *testing.F) {
	for _, c := range [][]byte{goPrologue, kernelPrologue, framePrologue, osFunc, callFirst, threeBytes, {0xc3}, {0x0f, 0x04}, {}} {
		f.Add(c, uint32(len(c)), uint32(0))
		f.Add(c, uint32(64), uint32(1))
	}
	f.Fuzz(func(t *testing.T, code []byte, size, off uint32) {
		p, err := New(Func{Name: "f", Start: base, Size: size}, base+off, code, 0xc0200000)
		Disassemble(code, base, 32, nil)
		if err != nil {
			if p != nil {
				t.Fatal("plan and error")
			}
			return
		}
		if p.Covered < JumpLen || uint64(p.Covered) > uint64(size) || p.Covered > len(code) {
			t.Fatalf("covered %d, size %d, code %d", p.Covered, size, len(code))
		}
		sum := 0
		for sum < p.Covered {
			inst, err := decode(code[sum:])
			if err != nil {
				t.Fatalf("re-decode at %d: %v", sum, err)
			}
			sum += inst.Len
		}
		if sum != p.Covered || p.NumInsns() == 0 {
			t.Fatalf("covered %d, instruction lengths sum to %d", p.Covered, sum)
		}
		if !bytes.Equal(p.Orig[:], code[:5]) {
			t.Fatal("orig bytes differ")
		}
		_ = p.CheckBody(code)
	})
}

func TestTo(t *testing.T) {
	const base = 0xc0101000
	p, err := New(Func{Name: "f", Start: base, Size: 0x445}, base, kernelPrologue, 0xc0102000)
	if err != nil {
		t.Fatal(err)
	}
	q, err := p.To(0xc0103000)
	if err != nil {
		t.Fatal(err)
	}
	if q.Replacement != 0xc0103000 || q.Patch != Jump(base, 0xc0103000) || q.Orig != p.Orig || q.Covered != p.Covered {
		t.Errorf("To: %v, from %v", q, p)
	}
	if p.Replacement != 0xc0102000 || p.Patch != Jump(base, 0xc0102000) {
		t.Errorf("To changed the original plan: %v", p)
	}
	if got, want := strings.Join(q.Insns(), "; "), "mov %gs:0x0,%ecx"; got != want {
		t.Errorf("Insns: %q, want %q", got, want)
	}
	if _, err := p.To(base); !errors.Is(err, ErrSelf) {
		t.Errorf("To(target): %v, want ErrSelf", err)
	}
}
