package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gojos/kern/module/elfrel"
)

func kabi(name string) (uint32, error) {
	if name == "kprintf" {
		return 0xc0105000, nil
	}
	return 0, errors.New("not exported")
}

// load loads as the kernel does for init_module (insmod): no file name.
func load(data []byte) error {
	o, err := elfrel.Parse(data)
	if err != nil {
		return err
	}
	img, err := elfrel.Layout(o)
	if err != nil {
		return err
	}
	if _, err := img.ModuleName(""); err != nil {
		return err
	}
	return elfrel.Relocate(img, [elfrel.NumRegions]uint32{0xd0000000, 0xd0010000, 0xd0020000}, kabi)
}

// synthetic is a minimal valid module: test2 calls kprintf.
func synthetic() []byte {
	b := &elfrel.Builder{}
	text := b.AddSection(elfrel.BSection{Name: ".text", Type: elfrel.SHT_PROGBITS,
		Flags: elfrel.SHF_ALLOC | elfrel.SHF_EXECINSTR, Align: 1,
		Data: []byte{0xe8, 0xfc, 0xff, 0xff, 0xff, 0x31, 0xc0, 0xe9, 0xfc, 0xff, 0xff, 0xff, 0x90, 0x90, 0x90, 0xc3}})
	b.AddSection(elfrel.BSection{Name: ".modinfo", Type: elfrel.SHT_PROGBITS, Flags: elfrel.SHF_ALLOC, Data: []byte("name=synthetic\x00")})
	b.AddSection(elfrel.BSection{Name: ".comment", Type: elfrel.SHT_PROGBITS, Data: []byte("GCC\x00")})
	b.AddSymbol(elfrel.BSymbol{Name: "test2", Size: 16, Type: elfrel.STT_FUNC, Bind: elfrel.STB_GLOBAL, Section: uint16(text)})
	b.AddSymbol(elfrel.BSymbol{Name: "init_module", Size: 16, Type: elfrel.STT_FUNC, Bind: elfrel.STB_GLOBAL, Section: uint16(text)})
	k := b.AddSymbol(elfrel.BSymbol{Name: "kprintf", Bind: elfrel.STB_GLOBAL})
	b.AddRel(text, 1, k, elfrel.R_386_PC32)
	b.AddRel(text, 8, k, elfrel.R_386_PC32)
	return b.Bytes()
}

func check(t *testing.T, valid []byte) {
	t.Helper()
	if err := load(valid); err != nil {
		t.Fatalf("valid input does not load: %v", err)
	}
	bads, err := Generate(valid)
	if err != nil {
		t.Fatal(err)
	}
	if len(bads) != 15 {
		t.Errorf("%d bad modules", len(bads))
	}
	for _, b := range bads {
		err := load(b.Data)
		if err == nil || !strings.Contains(err.Error(), b.Want) {
			t.Errorf("%s: err = %v, want %q", b.Name, err, b.Want)
		}
	}
}

func TestSynthetic(t *testing.T) { check(t, synthetic()) }

// TestRealModule uses test.ko (a data dependency under Bazel, or $GOJOS_TEST_KO).
func TestRealModule(t *testing.T) {
	for _, p := range []string{os.Getenv("GOJOS_TEST_KO"), "../../modules/test/test.ko"} {
		if data, err := os.ReadFile(p); p != "" && err == nil {
			check(t, data)
			return
		}
	}
	t.Skip("test.ko not available")
}

func TestGenerateRefuses(t *testing.T) {
	if _, err := Generate([]byte("text")); err == nil {
		t.Error("text input accepted")
	}
	b := &elfrel.Builder{}
	b.AddSection(elfrel.BSection{Name: ".text", Type: elfrel.SHT_PROGBITS, Flags: elfrel.SHF_ALLOC | elfrel.SHF_EXECINSTR, Data: []byte{0xc3}})
	b.AddSymbol(elfrel.BSymbol{Name: "f", Type: elfrel.STT_FUNC, Bind: elfrel.STB_GLOBAL, Section: 1})
	if _, err := Generate(b.Bytes()); err == nil {
		t.Error("input without relocations accepted")
	}
}

// TestMain runs the command itself when the go tool is available.
func TestCommand(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not on PATH")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "valid.ko")
	if err := os.WriteFile(in, synthetic(), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "bad")
	if msg, err := exec.Command(goTool, "run", ".", "-o", out, in).CombinedOutput(); err != nil {
		t.Skipf("go run: %v\n%s", err, msg)
	}
	manifest, err := os.ReadFile(filepath.Join(out, "MANIFEST"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(manifest)), "\n")
	if len(lines) != 15 {
		t.Fatalf("MANIFEST:\n%s", manifest)
	}
	for _, l := range lines {
		name, want, _ := strings.Cut(l, "\t")
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := load(data); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", name, err, want)
		}
	}
}
