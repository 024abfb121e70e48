package functab

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

// sameTable compares what two tables say, function by function.
func sameTable(t *testing.T, got, want *Table) {
	t.Helper()
	if err := got.Same(want); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < want.Len(); i++ {
		if w, _ := want.Func(i); got.Name(i) != w.Name || got.Entry(i) != w.Entry {
			t.Fatalf("function %d: index says %s at %#x, want %s at %#x", i, got.Name(i), got.Entry(i), w.Name, w.Entry)
		}
	}
}

// encode is Encode, failing the test on an error.
func encode(t testing.TB, tab *Table) []byte {
	t.Helper()
	b, err := Encode(tab)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decodeAll is Decode and then Check: every check the encoding allows.
func decodeAll(b []byte) (*Table, error) {
	t, err := Decode(b)
	if err != nil {
		return nil, err
	}
	if err := t.Check(); err != nil {
		return nil, err
	}
	return t, nil
}

func TestRoundTrip(t *testing.T) {
	want := testTable()
	b := encode(t, want)
	got, err := decodeAll(b)
	if err != nil {
		t.Fatal(err)
	}
	sameTable(t, got, want)
	if again := encode(t, got); string(again) != string(b) {
		t.Error("re-encoding a decoded table changed it")
	}
	got, err = decodeAll(encode(t, &Table{}))
	if err != nil || got.Len() != 0 {
		t.Errorf("empty table: %v, %v", got, err)
	}
}

// TestLazy: a decoded table decodes a function at its first use, returns
// the same one after, and reports damage in one function's details
// without losing the others.
func TestLazy(t *testing.T) {
	tab, err := Decode(encode(t, testTable()))
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range tab.enc.funcs {
		if f != nil {
			t.Fatalf("function %d decoded by Decode", i)
		}
	}
	f, err := tab.ByName("gojos/kern/ksym.Kind.String")
	if err != nil {
		t.Fatal(err)
	}
	if g, _ := tab.Func(1); g != f || tab.enc.funcs[0] != nil {
		t.Error("ByName decoded another function, or Func returned a different one")
	}
	// Damage function 1's details (its parameter count, with the checksum
	// fixed): Decode accepts the table, function 1 fails, the others work.
	b := encode(t, testTable())
	_, _, details := layoutOf(b)
	d := details + int(tab.enc.detail(1))
	b[d+1] = 0x7f // file none, then nparams: 127
	damaged, err := Decode(withSum(b))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := damaged.Func(1); err == nil || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "gojos/kern/ksym.Kind.String") {
		t.Errorf("damaged function: %v", err)
	}
	if _, err := damaged.ByName("gojos/kern/ksym.Kind.String"); err == nil {
		t.Error("ByName of the damaged function: no error")
	}
	if f, err := damaged.ByAddr(0xc0100040); err != nil || f.Name != "runtime.memmove" {
		t.Errorf("ByAddr of an undamaged function: %v, %v", f, err)
	}
	if err := damaged.Check(); err == nil {
		t.Error("Check passed a damaged table")
	}
}

// withSum fixes up the checksum of an encoded table whose body was edited.
func withSum(b []byte) []byte {
	body := b[:len(b)-4]
	return binary.LittleEndian.AppendUint32(append([]byte(nil), body...), checksum(body))
}

func TestDecodeErrors(t *testing.T) {
	good := encode(t, testTable())
	// Every truncation fails, with or without a matching checksum.
	for n := 0; n < len(good); n++ {
		if _, err := decodeAll(good[:n]); err == nil {
			t.Fatalf("truncated to %d bytes: no error", n)
		}
		if n >= 9 && n < len(good)-4 {
			if _, err := decodeAll(withSum(append(good[:n:n], 0, 0, 0, 0))); err == nil {
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
		return encode(t, tab)
	}
	for _, c := range []struct {
		name string
		edit func(*Table)
		want string
	}{
		{"duplicate name", func(t *Table) { t.Funcs[1].Name = t.Funcs[0].Name }, "appears twice"},
		{"empty name", func(t *Table) { t.Funcs[1].Name = "" }, "has no name"},
		{"overlap", func(t *Table) { t.Funcs[1].Entry-- }, "overlaps"},
	} {
		tab := testTable()
		c.edit(tab)
		if _, err := Encode(tab); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Encode, %s: error %v, want one saying %q", c.name, err, c.want)
		}
	}
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"magic", append([]byte("XXXX"), good[4:]...), "magic"},
		{"version", append([]byte("GJFT\x04"), good[5:]...), "version 4"},
		{"trailing", withSum(append(good[:len(good)-4:len(good)-4], 0, 0, 0, 0, 0)), "after the details"},
		{"duplicate name", withSum(setField(setField(good, 1, 8, field(good, 0, 8)), 1, 12, field(good, 0, 12))), "appears twice"},
		{"empty name", withSum(setField(good, 1, 12, 0)), "has no name"},
		{"name outside the heap", withSum(setField(good, 1, 8, 1<<20)), "outside the string heap"},
		{"details outside", withSum(setField(good, 2, 18, 1<<20)), "past their end"},
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
		{"huge count", withSum(append(append([]byte("GJFT\x03\x00"), make([]byte, 32)...), 0, 0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0, 0, 0)), "bytes left"},
		{"name order", swapOrder(good), "name order"},
		// Above 2^31: a negative int on 386, where the check once let it
		// through to a negative index.
		{"name order entry 0xffffffff", withSum(setOrder(good, 0, 0xffffffff)), "out of range"},
		{"overlap", withSum(setEntry(good, 1, 0xc010001f)), "overlaps"},
	} {
		_, err := decodeAll(c.data)
		if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, ErrFormat) {
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.want)
		}
	}
}

// FuzzDecode: Decode never panics; what it accepts re-encodes to a table
// that decodes the same. The body is also tried with its checksum fixed, so
// the fuzzer gets past the checksum.
func FuzzDecode(f *testing.F) {
	f.Add(encode(f, testTable()))
	f.Add(encode(f, &Table{}))
	f.Add([]byte("GJFT\x03"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, b := range [][]byte{data, binary.LittleEndian.AppendUint32(append([]byte(nil), data...), checksum(data))} {
			tab, err := decodeAll(b)
			if err != nil {
				if !errors.Is(err, ErrFormat) {
					t.Fatalf("error %v does not wrap ErrFormat", err)
				}
				continue
			}
			enc, err := Encode(tab)
			if err != nil {
				t.Fatalf("a table Decode and Check accept does not encode: %v", err)
			}
			again, err := decodeAll(enc)
			if err != nil {
				t.Fatalf("re-encoded table does not decode: %v", err)
			}
			sameTable(t, again, tab)
		}
	})
}

// layoutOf returns where an encoded table's index, name order and details
// start. It reads the header without checking anything, so that it works on
// tables a test has already damaged.
func layoutOf(b []byte) (index, byName, details int) {
	off := len(magic) + 1
	uv := func() int {
		v, n := binary.Uvarint(b[off:])
		off += n
		return int(v)
	}
	off += uv() // build id
	off += 32   // image hash
	off += uv() // heap
	for n := uv(); n > 0; n-- {
		uv()
		uv()
		off++ // class
		uv()
		off++ // align
	}
	n := uv()
	index = off
	byName = index + n*recSize
	off = byName + 4*n
	uv()
	return index, byName, off
}

// swapOrder exchanges the first two entries of an encoded table's name
// order (fixing the checksum).
func swapOrder(good []byte) []byte {
	b := append([]byte(nil), good...)
	_, o, _ := layoutOf(b)
	x := append([]byte(nil), b[o:o+4]...)
	copy(b[o:o+4], b[o+4:o+8])
	copy(b[o+4:o+8], x)
	return withSum(b)
}

// setOrder writes position k of the name order (without fixing the
// checksum).
func setOrder(good []byte, k int, v uint32) []byte {
	b := append([]byte(nil), good...)
	_, o, _ := layoutOf(b)
	binary.LittleEndian.PutUint32(b[o+4*k:], v)
	return b
}

// setEntry writes function i's entry in an encoded table (without fixing
// the checksum).
func setEntry(good []byte, i int, entry uint32) []byte { return setField(good, i, 0, entry) }

// setField writes the 32-bit field at offset off of function i's index
// record (a 16-bit one at 16, the flags), without fixing the checksum.
func setField(good []byte, i, off int, v uint32) []byte {
	b := append([]byte(nil), good...)
	index, _, _ := layoutOf(b)
	r := b[index+i*recSize+off:]
	if off == 16 {
		binary.LittleEndian.PutUint16(r, uint16(v))
	} else {
		binary.LittleEndian.PutUint32(r, v)
	}
	return b
}

// field reads the 32-bit field at offset off of function i's record.
func field(good []byte, i, off int) uint32 {
	index, _, _ := layoutOf(good)
	return binary.LittleEndian.Uint32(good[index+i*recSize+off:])
}
