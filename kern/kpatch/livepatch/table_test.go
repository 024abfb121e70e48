package livepatch

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func sample() *Table {
	t := &Table{Flags: Replace, Entries: []Entry{
		{Target: "gojos/kern/proc.utsRelease", SigHash: 0x1122334455667788, Repl: "release_fix"},
		{Target: "gojos/kern/kdemo.greeting", SigHash: 42, Repl: "greeting_c", Flags: FlagForce},
	}}
	for i := range t.BuildID {
		t.BuildID[i] = byte(i)
	}
	return t
}

func TestRoundTrip(t *testing.T) {
	in := sample()
	out, err := Decode(Encode(in))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Errorf("got %+v, want %+v", out, in)
	}
	if !out.Replaces() || ShortID(out.BuildID) != "0001020304050607" {
		t.Errorf("flags or id: %v %s", out.Replaces(), ShortID(out.BuildID))
	}
}

func TestDecodeErrors(t *testing.T) {
	good := Encode(sample())
	one := Encode(&Table{Entries: []Entry{{Target: "a", Repl: "b"}}})
	mod := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	for _, c := range []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "header: 38 bytes, 0 left"},
		{"magic", mod(func(b []byte) []byte { b[0] = 'X'; return b }), "no \"GJLP\" magic"},
		{"version", mod(func(b []byte) []byte { b[4] = 9; return b }), "version 9"},
		{"flags", mod(func(b []byte) []byte { b[5] = 0x80; return b }), "unknown table flags 0x80"},
		{"truncated", good[:len(good)-3], "truncated"},
		{"trailing", append(append([]byte(nil), good...), 0), "1 bytes after the last entry"},
		{"no entries", Encode(&Table{}), "no entries"},
		{"dup", Encode(&Table{Entries: []Entry{{Target: "a", Repl: "b"}, {Target: "a", Repl: "c"}}}), "a is patched twice"},
		{"entry flags", append(one[:len(one)-1:len(one)-1], 0x40), "unknown flags 0x40"},
		{"bad name", Encode(&Table{Entries: []Entry{{Target: "a b", Repl: "c"}}}), "is not a function name"},
		{"empty name", Encode(&Table{Entries: []Entry{{Target: "", Repl: "c"}}}), "is not a function name"},
		{"count", mod(func(b []byte) []byte { b[38] = 0xff; b[39] = 0x7f; return b }), "entry count"},
	} {
		_, err := Decode(c.in)
		if err == nil || !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error containing %q", c.name, err, c.want)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(Encode(sample()))
	f.Fuzz(func(t *testing.T, b []byte) {
		tab, err := Decode(b)
		if err != nil {
			return
		}
		if !bytes.Equal(Encode(tab), b) {
			t.Fatalf("decoded table does not encode to its input")
		}
	})
}
