package plan

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
)

func TestTrampoline(t *testing.T) {
	// A Go entry: MOVL GS:0, CX (7 bytes), then the stack check.
	goEntry := []byte{0x65, 0x8b, 0x0d, 0, 0, 0, 0, 0x8b, 0x49, 0xfc, 0x3b, 0x61, 0x08}
	p, err := New(Func{Name: "f", Start: 0xc0101000, Size: 64}, 0xc0101000, goEntry, 0x90004000)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := Trampoline(p, goEntry, 0x90010000)
	if err != nil {
		t.Fatal(err)
	}
	back := Jump(0x90010007, 0xc0101007)
	want := append(append([]byte(nil), goEntry[:7]...), back[:]...)
	if !bytes.Equal(tr, want) {
		t.Errorf("trampoline % x, want % x", tr, want)
	}
	// A C-like entry with a CALL rel32 in the covered bytes: re-aimed.
	callEntry := []byte{0x55, 0xe8, 0x10, 0, 0, 0, 0x90, 0x90} // PUSHL BP; CALL +0x10
	p, err = New(Func{Name: "g", Start: 0x1000, Size: 32}, 0x1000, callEntry, 0x5000)
	if err != nil {
		t.Fatal(err)
	}
	tr, err = Trampoline(p, callEntry, 0x8000)
	if err != nil {
		t.Fatal(err)
	}
	if tr[0] != 0x55 || tr[1] != 0xe8 {
		t.Fatalf("% x", tr)
	}
	if dest := 0x8001 + 5 + binary.LittleEndian.Uint32(tr[2:]); dest != 0x1001+5+0x10 {
		t.Errorf("call re-aimed at %#x, want %#x", dest, 0x1001+5+0x10)
	}
	if got, ok := JumpTarget(0x8006, tr[6:]); !ok || got != 0x1006 {
		t.Errorf("jump back to %#x %v", got, ok)
	}
	// A short jump cannot be moved.
	short := []byte{0x90, 0xeb, 0x10, 0x90, 0x90, 0x90}
	p, err = New(Func{Name: "h", Start: 0x1000, Size: 32}, 0x1000, short, 0x5000)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Trampoline(p, short, 0x8000); err == nil || !strings.Contains(err.Error(), "PC-relative and cannot be moved") {
		t.Errorf("short jump: %v", err)
	}
	if _, err := Trampoline(p, short[:2], 0x8000); err == nil {
		t.Error("too few bytes accepted")
	}
}
