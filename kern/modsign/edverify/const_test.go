package edverify

import (
	"encoding/hex"
	"testing"
)

// elemFromHex decodes 32 little-endian bytes given in hex.
func elemFromHex(t *testing.T, s string) elem {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 32 {
		t.Fatalf("bad constant %q", s)
	}
	var e elem
	e.setBytes(b)
	e[7] |= uint32(b[31]>>7) << 31 // setBytes drops the top bit; constants keep it
	return e
}

// TestConstants checks the word-written constants against their encodings
// (RFC 8032 and the curve's definition).
func TestConstants(t *testing.T) {
	for _, c := range []struct {
		name string
		got  elem
		hex  string
	}{
		{"feD", feD, "a3785913ca4deb75abd841414d0a700098e879777940c78c73fe6f2bee6c0352"},
		{"feD2", feD2, "59f1b226949bd6eb56b183829a14e00030d1f3eef2808e19e7fcdf56dcd90624"},
		{"feSqrtM1", feSqrtM1, "b0a00e4a271beec478e42fad0618432fa7d7fb3d99004d2b0bdfc14f8024832b"},
		{"basePoint.x", basePoint.x, "1ad5258f602d56c9b2a7259560c72c695cdcd6fd31e2a4c0fe536ecdd3366921"},
		{"basePoint.y", basePoint.y, "5866666666666666666666666666666666666666666666666666666666666666"},
		{"basePoint.t", basePoint.t, "a3ddb7a5b38ade6df5525177809ff0207de3ab648e4eea6665768bd70f5f8767"},
	} {
		if want := elemFromHex(t, c.hex); c.got != want {
			t.Errorf("%s = %08x, want %08x", c.name, c.got, want)
		}
	}
}
