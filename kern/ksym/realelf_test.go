package ksym

import (
	"bytes"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const realProgram = `package main

//go:noinline
func kpatch_test1() int { return 1 }

//go:noinline
func kpatch_test2() int { return 2 }

func main() { println(kpatch_test1() + kpatch_test2()) }
`

// TestRealELF builds a small linux/386 Go program and reads its symbol table the way
// the kernel reads its own (raw .symtab, .strtab and section headers). It needs the
// go tool, so it is skipped where that is unavailable (e.g. a Bazel sandbox).
func TestRealELF(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not on PATH")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(realProgram), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module prog\n\ngo 1.21\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "prog")
	cmd := exec.Command(goTool, "build", "-o", out, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=386", "CGO_ENABLED=0", "GOFLAGS=-buildvcs=false")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("cannot build a linux/386 program: %v\n%s", err, msg)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	f, err := elf.NewFile(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if f.Class != elf.ELFCLASS32 || f.Machine != elf.EM_386 {
		t.Fatalf("not a 386 ELF: %v %v", f.Class, f.Machine)
	}
	symSec := f.Section(".symtab")
	if symSec == nil {
		t.Fatal("no .symtab")
	}
	symtab, _ := symSec.Data()
	strtab, _ := f.Sections[symSec.Link].Data()
	// The raw section header table, as the boot loader copies it.
	shoff := int(readU32(raw[32:]))
	shnum := int(uint16(raw[48]) | uint16(raw[49])<<8)
	hdrs := raw[shoff : shoff+shnum*shdrEntSize]
	shstrndx := int(uint16(raw[50]) | uint16(raw[51])<<8)
	shstr, _ := f.Sections[shstrndx].Data()
	secs, err := ParseSections(hdrs, shdrEntSize, shstr)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := Parse(symtab, strtab, secs)
	if err != nil {
		t.Fatal(err)
	}
	elfSyms, _ := f.Symbols()
	want := map[string]elf.Symbol{}
	for _, s := range elfSyms {
		want[s.Name] = s
	}
	for _, name := range []string{"main.main", "main.kpatch_test1", "runtime.morestack"} {
		s, err := tab.Lookup(name)
		if err != nil {
			t.Fatalf("Lookup(%s): %v", name, err)
		}
		if s.Kind != Func || uint64(s.Addr) != want[name].Value || uint64(s.Size) != want[name].Size {
			t.Errorf("%s = %+v, debug/elf says %#x size %d", name, s, want[name].Value, want[name].Size)
		}
		if got, off, ok := tab.Addr(s.Addr + 1); !ok || off != 1 || got.Addr != s.Addr {
			t.Errorf("Addr(%s+1) = %+v+%d %v", name, got, off, ok)
		}
	}
	if s, err := tab.Lookup("kpatch_test2"); err != nil || s.Name != "main.kpatch_test2" {
		t.Errorf("short name: %+v %v", s, err)
	}
	var buf bytes.Buffer
	if err := tab.WriteKallsyms(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), " main.main\n") {
		t.Error("kallsyms lacks main.main")
	}
}

func readU32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}
