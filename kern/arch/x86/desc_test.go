package x86

import "testing"

func TestSegDescFlat(t *testing.T) {
	// The boot loader's flat descriptors (boot/stage1.S) are the reference.
	if got := SegDesc(0, 0xFFFFF, AccCode0, true); got != 0x00CF9A000000FFFF {
		t.Errorf("flat ring-0 code = %#x", got)
	}
	if got := SegDesc(0, 0xFFFFF, AccData0, true); got != 0x00CF92000000FFFF {
		t.Errorf("flat ring-0 data = %#x", got)
	}
	if got := SegDesc(0, 0xFFFFF, AccCode1, true); got != 0x00CFBA000000FFFF {
		t.Errorf("flat ring-1 code = %#x", got)
	}
}

func TestSegDescBase(t *testing.T) {
	for _, base := range []uint32{0, 0x12345678, 0xC0100004, 0xFFFFFFFF} {
		d := SegDesc(base, 0xFFFFF, AccData3, true)
		if got := DescBase(d); got != base {
			t.Errorf("base %#x round-trips to %#x", base, got)
		}
	}
}

func TestGateDesc(t *testing.T) {
	d := GateDesc(0xC0123456, SelKCode, 3)
	if d&0xFFFF != 0x3456 || d>>48 != 0xC012 {
		t.Errorf("offset split wrong: %#x", d)
	}
	if uint16(d>>16) != SelKCode {
		t.Errorf("selector wrong: %#x", d)
	}
	if byte(d>>40) != 0xEE {
		t.Errorf("type/DPL byte = %#x, want 0xEE", byte(d>>40))
	}
}

func TestTLSDesc(t *testing.T) {
	// What the Go runtime's setldt asks for: SEG_32BIT|LIMIT_IN_PAGES|USEABLE|CONTENTS_DATA.
	d, ok := TLSDesc(0xC0200004, 0xFFFFF, UDSeg32Bit|UDLimitInPages|UDUseable)
	if !ok {
		t.Fatal("runtime's request refused")
	}
	if DescBase(d) != 0xC0200004 || byte(d>>40) != AccData3 {
		t.Errorf("desc = %#x", d)
	}
	if _, ok := TLSDesc(0, 0xFFFFF, UDLimitInPages); ok {
		t.Error("16-bit segment accepted")
	}
	if _, ok := TLSDesc(0, 0xFFFFF, UDSeg32Bit|2<<1); ok {
		t.Error("code segment accepted")
	}
}
