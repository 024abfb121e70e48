package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gojos/kern/module/elfrel"
)

// testKO is modules/test/test.ko ($GOJOS_TEST_KO, or the Bazel runfile).
func testKO(t *testing.T) []byte {
	t.Helper()
	for _, p := range []string{os.Getenv("GOJOS_TEST_KO"), "../../modules/test/test.ko"} {
		if p == "" {
			continue
		}
		if data, err := os.ReadFile(p); err == nil {
			return data
		}
	}
	t.Skip("test.ko not available (bazel test //tools/kofuzz:kofuzz_test, or set GOJOS_TEST_KO)")
	return nil
}

func gen(t *testing.T, dir string, n int, seed uint64, noText, safe bool) map[string][]byte {
	t.Helper()
	in := filepath.Join(t.TempDir(), "test.ko")
	if err := os.WriteFile(in, testKO(t), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(options{in: in, out: dir, n: n, seed: seed, noText: noText, safe: safe}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	files := map[string][]byte{}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = data
	}
	return files
}

// TestDeterministic: the same seed gives the same files, a smaller campaign is a
// prefix of a larger one, and another seed gives other mutants.
func TestDeterministic(t *testing.T) {
	a := gen(t, t.TempDir(), 60, 7, false, false)
	b := gen(t, t.TempDir(), 60, 7, false, false)
	c := gen(t, t.TempDir(), 20, 7, false, false)
	d := gen(t, t.TempDir(), 20, 8, false, false)
	if len(a) != 61 || len(c) != 21 {
		t.Fatalf("%d and %d files", len(a), len(c))
	}
	for name, data := range a {
		if !bytes.Equal(b[name], data) {
			t.Errorf("%s differs between two runs", name)
		}
	}
	same := 0
	for name, data := range c {
		if name != "MANIFEST" && !bytes.Equal(a[name], data) {
			t.Errorf("%s of a 20-mutant campaign differs from the 60-mutant one", name)
		}
		if bytes.Equal(d[name], data) {
			same++
		}
	}
	if same > 2 {
		t.Errorf("seeds 7 and 8 gave %d identical mutants of 20", same)
	}
	if !strings.HasPrefix(string(a["MANIFEST"]), string(c["MANIFEST"])) {
		t.Error("MANIFEST of the smaller campaign is not a prefix")
	}
}

// TestManifest: every mutant is listed with the verdict the loader gives it now,
// differs from the valid module, and carries its own module name when it loads
// under .modinfo's name.
func TestManifest(t *testing.T) {
	dir := t.TempDir()
	files := gen(t, dir, 150, 1, false, false)
	valid := testKO(t)
	kinds := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSuffix(string(files["MANIFEST"]), "\n"), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			t.Fatalf("MANIFEST line %q", line)
		}
		data := files[f[0]]
		if bytes.Equal(data, valid) {
			t.Errorf("%s is the valid module", f[0])
		}
		kind, _, _ := strings.Cut(f[2], ":")
		kinds[kind] = true
		v := classify(data, f[0], nil)
		got := v.manifestVerdict()
		if v.loads {
			got = "load " + v.name
		}
		want := strings.Replace(f[1], "load-changed ", "load ", 1)
		if got != want {
			t.Errorf("%s: MANIFEST says %q, the loader %q", f[0], want, got)
		}
		if v.loads && v.name == "test" {
			t.Errorf("%s loads as test, not under a name of its own", f[0])
		}
	}
	for _, k := range []string{"flip", "shdr", "sym", "rel", "trunc", "modinfo", "text"} {
		if !kinds[k] {
			t.Errorf("no %s mutation in 150 mutants", k)
		}
	}
}

// TestNoTextAndSafe: -no-text never changes the code's bytes; -safe gives only
// mutants that are refused or load exactly like the valid module.
func TestNoTextAndSafe(t *testing.T) {
	valid := testKO(t)
	b, err := newBase(valid)
	if err != nil {
		t.Fatal(err)
	}
	ref, _, err := loadHost(valid, "test.ko")
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range gen(t, t.TempDir(), 150, 3, true, false) {
		if name != "MANIFEST" && b.touchesText(data) {
			t.Errorf("-no-text: %s changes the text", name)
		}
	}
	for name, data := range gen(t, t.TempDir(), 150, 3, false, true) {
		if name == "MANIFEST" {
			continue
		}
		if v := classify(data, name, ref); v.loads && !v.same {
			t.Errorf("-safe: %s loads with changed code or data", name)
		}
	}
}

// TestClassify: the valid module loads the same as itself; the loader's refusal
// is reported quoted, with its class.
func TestClassify(t *testing.T) {
	valid := testKO(t)
	ref, _, err := loadHost(valid, "test.ko")
	if err != nil {
		t.Fatal(err)
	}
	if v := classify(valid, "test.ko", ref); !v.loads || !v.same || v.name != "test" || v.manifestVerdict() != "load test" {
		t.Errorf("valid: %+v", v)
	}
	d := append([]byte(nil), valid...)
	elfrel.PutMachine(d, elfrel.EM_X86_64)
	if v := classify(d, "x.ko", ref); v.loads || v.class != "unsupported" ||
		v.manifestVerdict() != `refuse "wrong machine x86-64 (62): modules must be i386 (3)"` {
		t.Errorf("x86-64: %+v", v)
	}
	if got := Reason(" a\tb\n"); got != `"a\tb"` {
		t.Errorf("Reason = %s", got)
	}
}
