package main

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteTarDeterministicSorted(t *testing.T) {
	in := []entry{
		{name: "etc/motd", data: []byte("hello\n")},
		{name: "bin/init", data: []byte("\x7fELF"), exec: true},
		{name: "etc/issue", data: nil},
	}
	var a, b bytes.Buffer
	if err := writeTar(&a, in); err != nil {
		t.Fatal(err)
	}
	rev := []entry{in[2], in[1], in[0]}
	if err := writeTar(&b, rev); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("archive depends on input order")
	}
	tr := tar.NewReader(&a)
	var names []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
		if h.ModTime.Unix() != 0 || h.Uid != 0 || h.Gid != 0 || h.Uname != "" || h.Gname != "" {
			t.Errorf("%s: metadata not fixed: %+v", h.Name, h)
		}
		switch h.Name {
		case "bin/", "etc/":
			if h.Typeflag != tar.TypeDir || h.Mode != 0o755 {
				t.Errorf("%s: type %c mode %o", h.Name, h.Typeflag, h.Mode)
			}
		case "bin/init":
			if h.Mode != 0o755 {
				t.Errorf("bin/init mode %o, want 755", h.Mode)
			}
		case "etc/motd":
			data, _ := io.ReadAll(tr)
			if string(data) != "hello\n" || h.Mode != 0o644 {
				t.Errorf("etc/motd: %q mode %o", data, h.Mode)
			}
		}
	}
	want := "bin/ bin/init etc/ etc/issue etc/motd"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("entries %q, want %q", got, want)
	}
}

func TestWriteTarRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []entry
	}{
		{"absolute", []entry{{name: "/etc/motd"}}},
		{"dotdot", []entry{{name: "../motd"}}},
		{"unclean", []entry{{name: "etc//motd"}}},
		{"trailing slash", []entry{{name: "etc/"}}},
		{"empty", []entry{{name: ""}}},
		{"duplicate", []entry{{name: "a"}, {name: "a"}}},
		{"file and dir", []entry{{name: "a"}, {name: "a/b"}}},
	} {
		if err := writeTar(io.Discard, tc.in); err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "motd")
	if err := os.WriteFile(src, []byte("Welcome to gojos.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "initrd.tar")
	if err := run(out, []string{"etc/motd=" + src}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(data)%512 != 0 || !bytes.Contains(data, []byte("Welcome to gojos.")) {
		t.Errorf("unexpected archive (%d bytes)", len(data))
	}
	if err := run(out, []string{"etc/motd"}); err == nil {
		t.Error("spec without '=' accepted")
	}
	if err := run(out, []string{"etc/motd=" + filepath.Join(dir, "missing")}); err == nil {
		t.Error("missing source accepted")
	}
	if err := run("", nil); err == nil {
		t.Error("missing --out accepted")
	}
}

func TestTreeAndBase(t *testing.T) {
	dir := t.TempDir()
	tree := filepath.Join(dir, "mutants")
	if err := os.MkdirAll(filepath.Join(tree, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"0000.ko": "a", "0001.ko": "b", "sub/MANIFEST": "m"} {
		if err := os.WriteFile(filepath.Join(tree, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A file given as a symbolic link (as in a build sandbox) is its target's contents.
	if err := os.WriteFile(filepath.Join(dir, "real"), []byte("c"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "real"), filepath.Join(tree, "0002.ko")); err != nil {
		t.Fatal(err)
	}
	motd := filepath.Join(dir, "motd")
	os.WriteFile(motd, []byte("hi\n"), 0o644)
	base := filepath.Join(dir, "base.tar")
	if err := run(base, []string{"etc/motd=" + motd}, "bin/sh=gojos"); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.tar")
	if err := runConfig(config{out: out, bases: []string{base}, trees: []string{"lib/modules/fuzz=" + tree}}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var got []string
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err != nil {
			break
		}
		data, _ := io.ReadAll(tr)
		got = append(got, fmt.Sprintf("%s %c %s%s", h.Name, h.Typeflag, data, h.Linkname))
	}
	want := []string{"bin/ 5 ", "bin/sh 2 gojos", "etc/ 5 ", "etc/motd 0 hi\n", "lib/ 5 ", "lib/modules/ 5 ",
		"lib/modules/fuzz/ 5 ", "lib/modules/fuzz/0000.ko 0 a", "lib/modules/fuzz/0001.ko 0 b", "lib/modules/fuzz/0002.ko 0 c",
		"lib/modules/fuzz/sub/ 5 ", "lib/modules/fuzz/sub/MANIFEST 0 m"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("archive:\n%q\nwant\n%q", got, want)
	}
	if err := runConfig(config{out: out, trees: []string{"x"}}); err == nil {
		t.Error("--tree without = accepted")
	}
	if err := runConfig(config{out: out, bases: []string{motd}}); err == nil {
		t.Error("a base that is not a tar accepted")
	}
	if err := runConfig(config{out: out, bases: []string{base, base}}); err == nil {
		t.Error("duplicate paths from two bases accepted")
	}
}

// Modes come from the command line, not from the host files (remote execution stages
// every input as executable).
func TestRunModesFromFlags(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "prog")
	motd := filepath.Join(dir, "motd")
	tree := filepath.Join(dir, "tree")
	for _, p := range []string{prog, motd, filepath.Join(tree, "a.ko")} {
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(p), 0o755); err != nil { // all executable on disk
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "initrd.tar")
	c := config{out: out, files: []string{"etc/motd=" + motd}, execs: []string{"bin/prog=" + prog},
		trees: []string{"lib=" + tree}}
	if err := runConfig(c); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	modes := map[string]int64{}
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		modes[h.Name] = h.Mode
	}
	for name, want := range map[string]int64{"bin/prog": 0o755, "etc/motd": 0o644, "lib/a.ko": 0o644} {
		if modes[name] != want {
			t.Errorf("%s: mode %o, want %o", name, modes[name], want)
		}
	}
	if err := runConfig(config{out: out, execs: []string{"bin/prog"}}); err == nil {
		t.Error("--exec without = accepted")
	}
}
