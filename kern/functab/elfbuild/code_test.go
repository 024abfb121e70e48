package elfbuild

import (
	"gojos/kern/functab"

	"bytes"
	"testing"
)

func TestRealEntryCode(t *testing.T) {
	tab, f := buildReal(t)
	code, err := EntryCode(f, 19)
	if err != nil {
		t.Fatal(err)
	}
	text, err := f.Section(".text").Data()
	if err != nil {
		t.Fatal(err)
	}
	base := f.Section(".text").Addr
	n := 0
	for i := range tab.Funcs {
		fn := &tab.Funcs[i]
		got := code(fn)
		want := text[uint64(fn.Entry)-base:][:min(fn.Size, 19)]
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: %x, want %x", fn.Name, got, want)
		}
		n++
	}
	if n == 0 {
		t.Fatal("no functions")
	}
	if got := code(&functab.Func{Entry: uint32(base) - 1, Size: 4}); got != nil {
		t.Errorf("a function before .text: %x", got)
	}
}
