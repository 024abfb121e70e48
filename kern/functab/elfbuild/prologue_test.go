package elfbuild

import (
	"bytes"
	"encoding/binary"
	"testing"
)

func TestHasStackCheck(t *testing.T) {
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	rel := func(op []byte, v int32) []byte {
		return binary.LittleEndian.AppendUint32(append([]byte(nil), op...), uint32(v))
	}
	var (
		getG    = []byte{0x65, 0x8b, 0x0d, 0, 0, 0, 0, 0x8b, 0x89, 0xfc, 0xff, 0xff, 0xff} // MOVL GS:0, CX; MOVL -4(CX), CX
		cmpSP   = []byte{0x3b, 0x61, 0x08}                                                 // CMPL SP, 8(CX)
		cmpSP1  = []byte{0x3b, 0x61, 0x0c}                                                 // CMPL SP, 12(CX)
		cmpSP16 = []byte{0x3b, 0x61, 0x10}                                                 // CMPL SP, 16(CX)
		leaAX   = []byte{0x8d, 0x44, 0x24, 0xb8}                                           // LEAL -0x48(SP), AX
		cmpAX   = []byte{0x3b, 0x41, 0x08}                                                 // CMPL AX, 8(CX)
		movSPAX = []byte{0x89, 0xe0}                                                       // MOVL SP, AX
		subAX   = []byte{0x2d, 0, 0x10, 0, 0}                                              // SUBL $0x1000, AX
		nop     = []byte{0x90}
		pad     = bytes.Repeat([]byte{0xcc}, 64)
		jbe     = rel([]byte{0x0f, 0x86}, 16)
		jcs     = rel([]byte{0x0f, 0x82}, 8)
		jbeOut  = rel([]byte{0x0f, 0x86}, 0x1000)
		jbe8    = []byte{0x76, 0x0d} // JBE short
	)
	for _, c := range []struct {
		name string
		code []byte
		want bool
	}{
		{"small frame", cat(getG, cmpSP, jbe, pad), true},
		{"short jump", cat(getG, cmpSP, jbe8, pad), true},
		{"larger frame", cat(getG, leaAX, cmpAX, jbe, pad), true},
		{"huge frame", cat(getG, movSPAX, subAX, jcs, cmpAX, jbe, pad), true},
		{"systemstack function", cat(getG, cmpSP1, jbe, pad), true},
		{"not a stackguard", cat(getG, cmpSP16, jbe, pad), false},
		{"no TLS load first", cat(nop, getG, cmpSP, jbe, pad), false},
		{"jump out of the function", cat(getG, cmpSP, jbeOut, pad), false},
		{"compare then something else", cat(getG, cmpSP, nop, jbe, pad), false},
		{"call before the check", cat(getG, []byte{0xe8, 0, 0, 0, 0}, cmpSP, jbe, pad), false},
		{"truncated", cat(getG, cmpSP, jbe[:3]), false},
		{"empty", nil, false},
		{"undecodable", []byte{0x0f, 0xff}, false},
	} {
		if got := hasStackCheck(c.code, 0x1000, uint32(max(len(c.code), 1))); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestParseGoNote(t *testing.T) {
	note := func(namesz, descsz, typ uint32, owner, id string) []byte {
		b := binary.LittleEndian.AppendUint32(nil, namesz)
		b = binary.LittleEndian.AppendUint32(b, descsz)
		b = binary.LittleEndian.AppendUint32(b, typ)
		return append(append(b, owner...), id...)
	}
	le := binary.LittleEndian
	if id, err := ParseGoNote(note(4, 8, 4, "Go\x00\x00", "redacted"), le); err != nil || id != "redacted" {
		t.Errorf("good note: %q, %v", id, err)
	}
	for name, b := range map[string][]byte{
		"short":     {1, 2, 3},
		"type":      note(4, 8, 3, "Go\x00\x00", "redacted"),
		"name size": note(5, 8, 4, "Go\x00\x00", "redacted"),
		"owner":     note(4, 8, 4, "GNU\x00", "redacted"),
		"truncated": note(4, 9, 4, "Go\x00\x00", "redacted"),
		"no owner":  note(4, 0, 4, "Go", ""),
	} {
		if _, err := ParseGoNote(b, le); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
