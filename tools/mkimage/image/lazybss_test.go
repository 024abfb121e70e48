package image

import (
	"bytes"
	"debug/elf"
	"os"
	"testing"
)

func TestLazyStart(t *testing.T) {
	const mib = 1 << 20
	bss, end := uint64(0xc0400000), uint64(0xc0400000+40*mib+0x460)
	fips := bssSym{"crypto/internal/fips140/drbg.memory", end - 32*mib, 32 * mib}
	for _, c := range []struct {
		name string
		syms []bssSym
		want uint64
		ok   bool
	}{
		{"one big tail object", []bssSym{{"small", bss, 64}, fips}, (end - 32*mib + 4095) &^ 4095, true},
		{"two big objects", []bssSym{{"a.big", end - 40*mib, 8 * mib}, fips}, (end - 40*mib + 4095) &^ 4095, true},
		{"trap tier object ends the walk", []bssSym{{"gojos/kern/shim.kthreads", end - 33*mib, mib}, fips}, (end - 32*mib + 4095) &^ 4095, true},
		{"small last object: nothing lazy", []bssSym{fips, {"x.tiny", end - 16, 16}}, 0, false},
		{"trap tier at the end: nothing lazy", []bssSym{{"gojos/kern/mm.big", end - 2*mib, 2 * mib}}, 0, false},
		{"no symbols", nil, 0, false},
		{"gap before the end: nothing lazy", []bssSym{{"a.big", end - 2*mib - 2*PageSize, 2 * mib}}, 0, false},
	} {
		got, ok := lazyStart(c.syms, bss, end)
		if got != c.want || ok != c.ok {
			t.Errorf("%s: got %#x %v, want %#x %v", c.name, got, ok, c.want, c.ok)
		}
	}
}

// TestShrinkRealKernel runs on a kernel ELF when one is given
// (GOJOS_KERNEL=path): the lazy tail must hold no trap-tier object and the
// shortened segment must still cover every other object.
func TestShrinkRealKernel(t *testing.T) {
	path := os.Getenv("GOJOS_KERNEL")
	if path == "" {
		t.Skip("GOJOS_KERNEL not set")
	}
	k, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out, start, err := ShrinkLazyBSS(k)
	if err != nil || start == 0 {
		t.Fatalf("ShrinkLazyBSS: %#x, %v", start, err)
	}
	if err := CheckKernel(out); err != nil {
		t.Fatal(err)
	}
	f, _ := elf.NewFile(bytes.NewReader(k))
	syms, _ := f.Symbols()
	for _, s := range syms {
		if s.Value+s.Size > start && s.Size > 0 && elf.ST_TYPE(s.Info) == elf.STT_OBJECT {
			if s.Size < LazyMinSize || trapTier(s.Name) {
				t.Errorf("%s (%#x, %d bytes) would be demand-paged", s.Name, s.Value, s.Size)
			}
			t.Logf("lazy: %s %d bytes", s.Name, s.Size)
		}
	}
}
