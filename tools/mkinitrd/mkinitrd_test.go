package main

import (
	"archive/tar"
	"bytes"
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
