package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gojos/kern/functab"
)

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	notELF := filepath.Join(dir, "not.elf")
	if err := os.WriteFile(notELF, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, o := range []options{
		{},
		{kernel: notELF},
		{kernel: notELF, out: filepath.Join(dir, "out")},
		{kernel: filepath.Join(dir, "missing"), out: filepath.Join(dir, "out")},
	} {
		if err := run(o, &bytes.Buffer{}); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}

// TestRun builds a small linux/386 program with the host's go tool (skipped
// without one) and makes its table.
func TestRun(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not on PATH")
	}
	dir := t.TempDir()
	src := "package main\n\n//go:noinline\nfunc add(a, b int32) int32 { return a + b }\n\nfunc main() { println(add(1, 2)) }\n"
	for name, text := range map[string]string{"go.mod": "module prog\n\ngo 1.24\n", "main.go": src} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	prog := filepath.Join(dir, "prog")
	cmd := exec.Command(goTool, "build", "-o", prog, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=386", "CGO_ENABLED=0", "GOFLAGS=", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out := filepath.Join(dir, "functab.bin")
	var stdout bytes.Buffer
	if err := run(options{kernel: prog, out: out, stats: true}, &stdout); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := functab.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if f, err := tab.ByName("main.add"); err != nil || f.Signature() != "func(a int32, b int32) int32" {
		t.Errorf("main.add: %v", f)
	}
	for _, want := range []string{"functions ", "with signatures", "inlined somewhere", "  call sites in them"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("-stats output lacks %q:\n%s", want, stdout.String())
		}
	}
}
