package elfrel

import (
	"bytes"
	"strings"
	"testing"
)

func TestAppendSection(t *testing.T) {
	in := validBuilder().Bytes()
	out, err := AppendSection(in, LivepatchSection, []byte("table"))
	if err != nil {
		t.Fatal(err)
	}
	o, err := Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	img, err := Layout(o)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(img.Livepatch, []byte("table")) {
		t.Errorf("Livepatch = %q", img.Livepatch)
	}
	before, _ := Layout(parseOK(t, in))
	for r := range img.Regions {
		if !bytes.Equal(img.Regions[r].Bytes, before.Regions[r].Bytes) {
			t.Errorf("region %d changed", r)
		}
	}
	if _, err := AppendSection(out, LivepatchSection, []byte("again")); err == nil || !strings.Contains(err.Error(), "already has") {
		t.Errorf("second append: %v", err)
	}
	two, err := AppendSection(out, ".other", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Layout(parseOK(t, two)); err != nil {
		t.Errorf("another empty non-alloc section: %v", err)
	}
}

func TestLivepatchSectionRules(t *testing.T) {
	for _, c := range []struct {
		name string
		sec  BSection
		want string
	}{
		{"empty", BSection{Name: LivepatchSection, Type: SHT_PROGBITS}, "is empty"},
		{"alloc", BSection{Name: LivepatchSection, Type: SHT_PROGBITS, Flags: SHF_ALLOC, Data: []byte("x")}, "not allocated"},
		{"nobits", BSection{Name: LivepatchSection, Type: SHT_NOBITS, Size: 4}, "want SHT_PROGBITS"},
	} {
		b := validBuilder()
		b.AddSection(c.sec)
		o, err := Parse(b.Bytes())
		if err == nil {
			_, err = Layout(o)
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

func parseOK(t *testing.T, b []byte) *Object {
	t.Helper()
	o, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	return o
}
