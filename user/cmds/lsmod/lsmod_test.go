package lsmod

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gojos/user/internal/cmdutil"
)

const sample = "test 4096 1 - Live 0xc8000000\n" +
	"dep 12288 2 test,other, Live 0xc8002000\n" +
	"\n" +
	"a_module_with_a_long_name 123456789 0 [permanent], Live 0xc8010000\n" +
	"short 1\n"

func TestList(t *testing.T) {
	var out bytes.Buffer
	if err := List(strings.NewReader(sample), &out); err == nil || !strings.Contains(err.Error(), "line 5") {
		t.Errorf("short line: %v", err)
	}
	out.Reset()
	good := strings.TrimSuffix(sample, "short 1\n")
	if err := List(strings.NewReader(good), &out); err != nil {
		t.Fatal(err)
	}
	want := "Module                  Size  Used by\n" +
		"test                    4096  1\n" +
		"dep                    12288  2 test,other\n" +
		"a_module_with_a_long_name 123456789  0 [permanent]\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
	out.Reset()
	if err := List(strings.NewReader(""), &out); err != nil || out.String() != Header {
		t.Errorf("empty: %q, %v", out.String(), err)
	}
}

func TestRun(t *testing.T) {
	p := filepath.Join(t.TempDir(), "modules")
	if err := os.WriteFile(p, []byte("test 4096 0 - Live 0xc8000000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	saved := ModulesFile
	t.Cleanup(func() { ModulesFile = saved })
	ModulesFile = p
	run := func(args ...string) (int, string, string) {
		var out, errs bytes.Buffer
		status := cmdutil.Status("lsmod", Run(args, nil, &out, &errs), &errs)
		return status, out.String(), errs.String()
	}
	if status, out, errs := run("lsmod"); status != 0 || out != Header+"test                    4096  0\n" || errs != "" {
		t.Errorf("lsmod: %d, %q, %q", status, out, errs)
	}
	if status, out, errs := run("lsmod", "x"); status != 2 || out != "" || errs != "usage: lsmod \n" {
		t.Errorf("lsmod x: %d, %q, %q", status, out, errs)
	}
	ModulesFile = p + ".missing"
	if status, _, errs := run("lsmod"); status != 1 || !strings.HasPrefix(errs, "lsmod: open ") {
		t.Errorf("missing file: %d, %q", status, errs)
	}
}

func TestFaultedMarked(t *testing.T) {
	var b strings.Builder
	if err := List(strings.NewReader("bad 4096 0 - Live 0xc8000000 (D)\ngood 4096 0 - Live 0xc8001000\n"), &b); err != nil {
		t.Fatal(err)
	}
	want := Header + "bad                     4096  0 [faulted]\ngood                    4096  0\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestUnsignedMarked(t *testing.T) {
	var b strings.Builder
	if err := List(strings.NewReader("u 4096 0 - Live 0x00000000 (E)\nboth 4096 0 - Live 0xc8001000 (DE)\n"), &b); err != nil {
		t.Fatal(err)
	}
	want := Header + "u                       4096  0 [unsigned]\nboth                    4096  0 [faulted] [unsigned]\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
