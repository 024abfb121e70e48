package functab

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"reflect"
	"strings"
	"testing"
)

// sameTable compares what a table says (not its index).
func sameTable(t *testing.T, got, want *Table) {
	t.Helper()
	if got.BuildID != want.BuildID || got.ImageHash != want.ImageHash {
		t.Fatalf("build id %q hash %x, want %q %x", got.BuildID, got.ImageHash, want.BuildID, want.ImageHash)
	}
	if len(got.Funcs) != len(want.Funcs) {
		t.Fatalf("%d functions, want %d", len(got.Funcs), len(want.Funcs))
	}
	for i := range want.Funcs {
		if !reflect.DeepEqual(got.Funcs[i], want.Funcs[i]) {
			t.Fatalf("function %d:\n got %+v\nwant %+v", i, got.Funcs[i], want.Funcs[i])
		}
	}
}

func TestRoundTrip(t *testing.T) {
	want := testTable()
	b := Encode(want)
	got, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	sameTable(t, got, want)
	if again := Encode(got); string(again) != string(b) {
		t.Error("re-encoding a decoded table changed it")
	}
	empty := &Table{}
	got, err = Decode(Encode(empty))
	if err != nil || len(got.Funcs) != 0 {
		t.Errorf("empty table: %v, %v", got, err)
	}
}

// withCRC fixes up the checksum of an encoded table whose body was edited.
func withCRC(b []byte) []byte {
	body := b[:len(b)-4]
	return binary.LittleEndian.AppendUint32(append([]byte(nil), body...), crc32.ChecksumIEEE(body))
}

func TestDecodeErrors(t *testing.T) {
	good := Encode(testTable())
	// Every truncation fails, with or without a matching checksum.
	for n := 0; n < len(good); n++ {
		if _, err := Decode(good[:n]); err == nil {
			t.Fatalf("truncated to %d bytes: no error", n)
		}
		if n >= 9 && n < len(good)-4 {
			if _, err := Decode(withCRC(append(good[:n:n], 0, 0, 0, 0))); err == nil {
				t.Fatalf("truncated to %d bytes with a good checksum: no error", n)
			}
		}
	}
	// Every flipped bit fails the checksum (or the magic/version checks).
	for i := range good {
		b := append([]byte(nil), good...)
		b[i] ^= 0x10
		if _, err := Decode(b); err == nil || !errors.Is(err, ErrFormat) {
			t.Fatalf("byte %d flipped: %v", i, err)
		}
	}
	edit := func(f func(*Table)) []byte {
		tab := testTable()
		f(tab)
		return Encode(tab)
	}
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"magic", append([]byte("XXXX"), good[4:]...), "magic"},
		{"version", append([]byte("GJFT\x03"), good[5:]...), "version 3"},
		{"trailing", withCRC(append(good[:len(good)-4:len(good)-4], 0, 0, 0, 0, 0)), "after the last function"},
		{"duplicate name", edit(func(t *Table) { t.Funcs[1].Name = t.Funcs[0].Name }), "appears twice"},
		{"empty name", edit(func(t *Table) { t.Funcs[1].Name = "" }), "has no name"},
		{"unknown flag", edit(func(t *Table) { t.Funcs[0].Flags |= 1 << 12 }), "unknown flags"},
		{"sig and asm", edit(func(t *Table) { t.Funcs[0].Flags |= FlagAsm }), "contradict"},
		{"frame vs pclntab", edit(func(t *Table) { t.Funcs[0].PCArgs = 8 }), "the pclntab's is 8"},
		{"class", edit(func(t *Table) { t.Funcs[1].Params[0].Type.Class = 9 }), "class 9"},
		{"alignment", edit(func(t *Table) { t.Funcs[1].Params[0].Type.Align = 3 }), "alignment 3"},
		{"type size", edit(func(t *Table) { t.Funcs[1].Params[0].Type.Size = maxFrame + 1 }), "size"},
		{"caller range", edit(func(t *Table) { t.Funcs[1].Inlined[1].Caller = 5 }), "out of range"},
		{"caller twice", edit(func(t *Table) { t.Funcs[1].Inlined[1].Caller = 0 }), "listed twice"},
		{"sites without flag", edit(func(t *Table) { t.Funcs[1].Flags &^= FlagInlined }), "without FlagInlined"},
		{"no sites", edit(func(t *Table) { t.Funcs[1].Inlined[0].Count = 0 }), "0 call sites"},
		{"entry past 4G", edit(func(t *Table) { t.Funcs[4].Entry = 0xffffff80 }), "size"},
		{"zero size", edit(func(t *Table) { t.Funcs[2].Size = 0 }), "size 0"},
		{"not UTF-8", edit(func(t *Table) { t.Funcs[2].Name = "bad\xff" }), "UTF-8"},
		{"huge count", withCRC(append(append([]byte("GJFT\x02\x00"), make([]byte, 32)...), 0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0, 0, 0)), "bytes left"},
	} {
		_, err := Decode(c.data)
		if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, ErrFormat) {
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.want)
		}
	}
}

// FuzzDecode: Decode never panics; what it accepts re-encodes to a table
// that decodes the same. The body is also tried with its checksum fixed, so
// the fuzzer gets past the checksum.
func FuzzDecode(f *testing.F) {
	f.Add(Encode(testTable()))
	f.Add(Encode(&Table{}))
	f.Add([]byte("GJFT\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, b := range [][]byte{data, binary.LittleEndian.AppendUint32(append([]byte(nil), data...), crc32.ChecksumIEEE(data))} {
			tab, err := Decode(b)
			if err != nil {
				if !errors.Is(err, ErrFormat) {
					t.Fatalf("error %v does not wrap ErrFormat", err)
				}
				continue
			}
			again, err := Decode(Encode(tab))
			if err != nil {
				t.Fatalf("re-encoded table does not decode: %v", err)
			}
			sameTable(t, again, tab)
		}
	})
}
