package elfrel

import (
	"errors"
	"strings"
	"testing"
)

// withProtos is the valid module plus a .gojos.proto section holding data (of
// section type typ).
func withProtos(data []byte, typ uint32) *Image {
	b := validBuilder()
	b.AddSection(BSection{Name: ProtoSection, Type: typ, Flags: SHF_ALLOC, Align: 1, Data: data})
	o, err := Parse(b.Bytes())
	if err != nil {
		panic(err)
	}
	img, _ := Layout(o)
	return img
}

func protoLayout(data []byte, typ uint32) error {
	b := validBuilder()
	b.AddSection(BSection{Name: ProtoSection, Type: typ, Flags: SHF_ALLOC, Align: 1, Data: data})
	o, err := Parse(b.Bytes())
	if err != nil {
		return err
	}
	_, err = Layout(o)
	return err
}

func TestProtos(t *testing.T) {
	img := withProtos([]byte("test2=int ( void )\x00\x00"), SHT_PROGBITS)
	if img == nil || img.Protos["test2"] != "int(void)" {
		t.Fatalf("protos: %+v", img)
	}
	if err := Relocate(img, [NumRegions]uint32{textBase, rodataBase, dataBase}, func(string) (uint32, error) { return kprintfAt, nil }); err != nil {
		t.Fatal(err)
	}
	for _, e := range Exports(img) {
		if e.Name == "test2" && e.Proto != "int(void)" || e.Name != "test2" && e.Proto != "" {
			t.Errorf("export %+v", e)
		}
	}
	// The section is not loaded: the regions are those of the module without it.
	plain, _ := Layout(mustParse(t, validBuilder().Bytes()))
	for r := range img.Regions {
		if len(img.Regions[r].Bytes) != len(plain.Regions[r].Bytes) {
			t.Errorf("region %v: %d bytes, without prototypes %d", Region(r), len(img.Regions[r].Bytes), len(plain.Regions[r].Bytes))
		}
	}
	for _, c := range []struct {
		data []byte
		typ  uint32
		want string
	}{
		{[]byte("test2=int(void)"), SHT_PROGBITS, "not NUL-terminated"},
		{[]byte("test2=int(void)\x00"), SHT_NOBITS, "a SHT_NOBITS section"},
		{[]byte("test2\x00"), SHT_PROGBITS, `entry "test2" is not fn=prototype`},
		{[]byte("9x=int(void)\x00"), SHT_PROGBITS, "is not fn=prototype"},
		{[]byte("test2=int(void)\x00test2=int(int)\x00"), SHT_PROGBITS, "two prototypes for test2"},
		{[]byte("test2=int(float)\x00"), SHT_PROGBITS, "test2: prototype \"int(float)\": parameter 1: floating point (float) is not supported"},
		{[]byte("init_fn=int(void)\x00"), SHT_PROGBITS, "a prototype for init_fn, which is not a global function defined in the module"},
		{[]byte("counter=int(void)\x00"), SHT_PROGBITS, "a prototype for counter"},
		{[]byte("kprintf=int(void)\x00"), SHT_PROGBITS, "a prototype for kprintf"},
	} {
		err := protoLayout(c.data, c.typ)
		if err == nil || !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.data, err, c.want)
		}
	}
}

func mustParse(t *testing.T, d []byte) *Object {
	t.Helper()
	o, err := Parse(d)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// FuzzProtos: any .gojos.proto contents give a classified error or
// prototypes that parse again to themselves.
func FuzzProtos(f *testing.F) {
	for _, s := range []string{"test2=int(void)\x00", "test2=unsigned long long(char *p, _Bool)\x00", "=\x00", "test2=\x00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := protoLayout(data, SHT_PROGBITS)
		if err != nil {
			checkErr(t, err)
		}
	})
}
