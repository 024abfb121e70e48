package proc

import (
	"errors"
	"strings"
	"testing"
)

// fakePages is user memory of 16-byte pages for readCString: the pages in
// mem, every other address faults.
func fakePages(mem map[uint32]string, touched *[]uint32) func(uint32) ([]byte, error) {
	return func(va uint32) ([]byte, error) {
		base := va &^ 15
		*touched = append(*touched, base)
		p, ok := mem[base]
		if !ok {
			return nil, ErrFault
		}
		return []byte(p)[va-base:], nil
	}
}

func TestReadCString(t *testing.T) {
	mem := map[uint32]string{
		0x100: "0123456789abcdef", // no NUL: continues on the next page
		0x110: "ghij\x00..........",
		0x200: "short\x00.........",
		0x300: "runs into a hole", // 0x310 is not mapped
		0x400: "exactly15chars.\x00",
	}
	for _, c := range []struct {
		va      uint32
		max     int
		want    string
		err     error
		touched int
	}{
		{0x100, 64, "0123456789abcdefghij", nil, 2},
		{0x10a, 64, "abcdefghij", nil, 2},
		{0x200, 64, "short", nil, 1},
		{0x205, 64, "", nil, 1},
		{0x200, 5, "", errStringTooLong, 1},    // "short" is 5 bytes: no NUL among the first 5
		{0x200, 6, "short", nil, 1},            // the NUL is the 6th byte
		{0x100, 16, "", errStringTooLong, 1},   // the next page is not read
		{0x300, 64, "", ErrFault, 2},           // unterminated before the hole
		{0x30c, 4, "", errStringTooLong, 1},    // too long before reaching the hole
		{0x500, 64, "", ErrFault, 1},           // not mapped at all
		{0x400, 64, "exactly15chars.", nil, 1}, // the NUL is a page's last byte
		{0x10f, 64, "fghij", nil, 2},           // starts at a page's last byte
	} {
		var touched []uint32
		got, err := readCString(c.va, c.max, fakePages(mem, &touched))
		if got != c.want || !errors.Is(err, c.err) || len(touched) != c.touched {
			t.Errorf("readCString(%#x, %d) = %q, %v touching %d pages; want %q, %v touching %d",
				c.va, c.max, got, err, len(touched), c.want, c.err, c.touched)
		}
	}
}

// A long string across many pages comes back whole.
func TestReadCStringLong(t *testing.T) {
	mem := map[uint32]string{}
	want := strings.Repeat("x", 16*40+3)
	s := want + "\x00"
	for len(s)%16 != 0 {
		s += "."
	}
	for i := 0; i < len(s); i += 16 {
		mem[0x1000+uint32(i)] = s[i : i+16]
	}
	var touched []uint32
	got, err := readCString(0x1000, 4096, fakePages(mem, &touched))
	if err != nil || got != want {
		t.Fatalf("got %d bytes, %v", len(got), err)
	}
}
