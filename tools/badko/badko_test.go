package main

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gojos/kern/kpatch/livepatch"
	"gojos/kern/modsign"
	"gojos/kern/modsign/signer"
	"gojos/kern/module/elfrel"
	"gojos/tools/modkey"
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
	keyFile := filepath.Join(dir, "key.pem")
	pem, _ := modkey.EncodePrivate(testKey)
	if err := os.WriteFile(keyFile, pem, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, signed := range []bool{false, true} {
		out := filepath.Join(dir, fmt.Sprint("bad", signed))
		args := []string{"run", ".", "-o", out}
		want := 15
		if signed {
			args = append(args, "-key", keyFile)
			want += 14
		}
		if msg, err := exec.Command(goTool, append(args, in)...).CombinedOutput(); err != nil {
			t.Skipf("go run: %v\n%s", err, msg)
		}
		manifest, err := os.ReadFile(filepath.Join(out, "MANIFEST"))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(manifest)), "\n")
		if len(lines) != want {
			t.Fatalf("MANIFEST:\n%s", manifest)
		}
		for _, l := range lines {
			name, want, _ := strings.Cut(l, "\t")
			data, err := os.ReadFile(filepath.Join(out, name))
			if err != nil {
				t.Fatal(err)
			}
			if signed {
				err = kernelLoad(data)
			} else {
				err = load(data)
			}
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %v, want %q", name, err, want)
			}
		}
	}
}

var testKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, 32))

// kernelLoad checks the signature as the kernel does, then loads.
func kernelLoad(file []byte) error {
	img, _, err := modsign.Keyring{modsign.KeyOf(testKey.Public().(ed25519.PublicKey))}.Verify(file)
	if err != nil {
		return err
	}
	return load(img)
}

func checkAttacks(t *testing.T, valid []byte) {
	t.Helper()
	attacks, err := SigAttacks(modsign.Strip(valid), testKey)
	if err != nil {
		t.Fatal(err)
	}
	if len(attacks) != 14 {
		t.Errorf("%d attacks", len(attacks))
	}
	good, _ := signer.Sign(testKey, modsign.Strip(valid))
	if err := kernelLoad(good); err != nil {
		t.Fatalf("the signed valid module: %v", err)
	}
	for _, a := range attacks {
		err := kernelLoad(a.Data)
		if err == nil || !strings.Contains(err.Error(), a.Want) {
			t.Errorf("%s: err = %v, want %q", a.Name, err, a.Want)
		}
	}
	bads, err := Generate(modsign.Strip(valid))
	if err != nil {
		t.Fatal(err)
	}
	signed, err := signAll(bads, testKey)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range signed {
		if err := kernelLoad(b.Data); err == nil || !strings.Contains(err.Error(), b.Want) {
			t.Errorf("signed %s: err = %v, want %q", b.Name, err, b.Want)
		}
	}
}

func TestSigAttacksSynthetic(t *testing.T) { checkAttacks(t, synthetic()) }

func TestSigAttacksRealModule(t *testing.T) {
	for _, p := range []string{os.Getenv("GOJOS_TEST_KO"), "../../modules/test/test.ko"} {
		if data, err := os.ReadFile(p); p != "" && err == nil {
			checkAttacks(t, data)
			return
		}
	}
	t.Skip("test.ko not available")
}

// TestLivepatchTables: the broken patch tables of a real livepatch module
// (lpfix.ko, a data dependency under Bazel) are each refused by the
// table's decoder or name what the kernel's checks will refuse.
func TestLivepatchTables(t *testing.T) {
	data, err := os.ReadFile("../../modules/livepatch/lpfix.ko")
	if err != nil {
		t.Skip("lpfix.ko not available")
	}
	bads, err := GenerateLivepatch(modsign.Strip(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(bads) != len(LivepatchCases) {
		t.Fatalf("%d cases, want %d", len(bads), len(LivepatchCases))
	}
	for i, b := range bads {
		if b.Name != LivepatchCases[i]+".ko" {
			t.Errorf("case %d is %s, want %s.ko", i, b.Name, LivepatchCases[i])
		}
		o, err := elfrel.Parse(b.Data)
		if err != nil {
			t.Errorf("%s: the ELF must stay valid: %v", b.Name, err)
			continue
		}
		img, err := elfrel.Layout(o)
		if err != nil {
			t.Errorf("%s: %v", b.Name, err)
			continue
		}
		_, derr := livepatch.Decode(img.Livepatch)
		switch b.Name {
		case "lpmagic.ko", "lpflags.ko", "lptrunc.ko":
			if derr == nil || !strings.Contains(derr.Error(), b.Want) {
				t.Errorf("%s: %v, want %q", b.Name, derr, b.Want)
			}
		default:
			if derr != nil {
				t.Errorf("%s: the table must decode (the kernel's checks refuse it): %v", b.Name, derr)
			}
		}
	}
}
