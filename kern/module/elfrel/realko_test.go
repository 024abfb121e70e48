package elfrel

import (
	"encoding/binary"
	"errors"
	"os"
	"testing"
)

// testKO finds modules/test/test.ko: $GOJOS_TEST_KO, or the Bazel runfile (this
// go_test has data = ["//modules/test"] and runs in its package directory).
func testKO(t *testing.T) []byte {
	t.Helper()
	for _, p := range []string{os.Getenv("GOJOS_TEST_KO"), "../../../modules/test/test.ko"} {
		if p == "" {
			continue
		}
		if data, err := os.ReadFile(p); err == nil {
			return data
		}
	}
	t.Skip("test.ko not available (bazel test //kern/module/elfrel:elfrel_test, or set GOJOS_TEST_KO)")
	return nil
}

// TestRealModule loads the real test.ko built by the i386 toolchain.
func TestRealModule(t *testing.T) {
	data := testKO(t)
	o, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	img, err := Layout(o)
	if err != nil {
		t.Fatal(err)
	}
	if img.Name != "test" {
		t.Errorf("module name %q", img.Name)
	}
	if err := Relocate(img, bases, nil); !errors.Is(err, ErrUndefined) || err.Error() != "undefined symbol: kprintf" {
		t.Errorf("without KABI: %v", err)
	}
	if err := Relocate(img, bases, kabi); err != nil {
		t.Fatal(err)
	}
	exp := map[string]Export{}
	for _, e := range Exports(img) {
		exp[e.Name] = e
	}
	test2, ok := exp["test2"]
	if !ok || !test2.Func || test2.Addr < textBase || test2.Addr >= textBase+uint32(len(img.Regions[Text].Bytes)) {
		t.Fatalf("test2 export %+v", test2)
	}
	init, ok1 := img.Init()
	exit, ok2 := img.Exit()
	if !ok1 || !ok2 || init == exit {
		t.Errorf("init %#x %v exit %#x %v", init, ok1, exit, ok2)
	}
	// Every PC-relative call in the relocated text that had a relocation must now
	// reach kprintf; every absolute operand must point into the module.
	text := img.Regions[Text].Bytes
	calls := 0
	for _, ri := range o.RelSections() {
		rels, _ := o.Rels(ri)
		tsec := o.Sections[o.Sections[ri].Info]
		base, _ := img.SectionAddr(tsec.Index)
		for _, r := range rels {
			at := base - textBase + r.Offset
			if img.Place[tsec.Index].Region != Text {
				continue
			}
			v := binary.LittleEndian.Uint32(text[at:])
			switch r.Type {
			case R_386_PC32, R_386_PLT32:
				if dest := base + r.Offset + 4 + v; dest != kprintfAt {
					t.Errorf("call at %#x goes to %#x", base+r.Offset, dest)
				}
				calls++
			case R_386_32:
				if v < textBase || v >= dataBase+0x1000 {
					t.Errorf("absolute operand at %#x is %#x, outside the module", base+r.Offset, v)
				}
			}
		}
	}
	if calls == 0 {
		t.Error("no kprintf calls found")
	}
}
