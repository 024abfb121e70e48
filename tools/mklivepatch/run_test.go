package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gojos/kern/functab"
	"gojos/kern/kpatch/livepatch"
	"gojos/kern/module/elfrel"
)

// The real kernel, its function table and a module object (bad.c of
// modules/livepatch), from runfiles under Bazel; without them (go test)
// the test skips unless -require.
var (
	kernel  = flag.String("kernel", "", "kernel ELF")
	tabPath = flag.String("functab", "", "the kernel's function table")
	objPath = flag.String("obj", "", "the unsigned module object of modules/livepatch/bad.c")
	badOrig = flag.String("badorig", "", "the unsigned module object of modules/livepatch/badorig.c")
	require = flag.Bool("require", false, "fail instead of skipping without the inputs")
)

const rule = "//modules/livepatch:test"

func inputs(t *testing.T) options {
	t.Helper()
	for _, p := range []string{*kernel, *tabPath, *objPath} {
		if _, err := os.Stat(p); p == "" || err != nil {
			if *require {
				t.Fatalf("missing input %q", p)
			}
			t.Skip("no kernel, function table or module object (run under Bazel)")
		}
	}
	return options{rule: rule, kernel: *kernel, functab: *tabPath, obj: *objPath,
		out: filepath.Join(t.TempDir(), "out.ko")}
}

func TestGoodPatch(t *testing.T) {
	o := inputs(t)
	o.patches = multi{"utsRelease=good_release"}
	o.replace = true
	if err := run(o); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(o.out)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := elfrel.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	img, err := elfrel.Layout(obj)
	if err != nil {
		t.Fatal(err)
	}
	lt, err := livepatch.Decode(img.Livepatch)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(o.functab)
	tab, err := functab.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	f, err := tab.ByName("gojos/kern/proc.utsRelease")
	if err != nil {
		t.Fatal(err)
	}
	want := livepatch.Entry{Target: "gojos/kern/proc.utsRelease", SigHash: f.Hash(), Repl: "good_release"}
	if lt.BuildID != tab.ImageHash || !lt.Replaces() || len(lt.Entries) != 1 || lt.Entries[0] != want {
		t.Errorf("table %+v, want build id %x and %+v", lt, tab.ImageHash[:8], want)
	}
}

// TestBadPatches: each bad patch fails the build with a message naming the
// rule and the function.
func TestBadPatches(t *testing.T) {
	o := inputs(t)
	for _, c := range []struct {
		patch, force string
		want         string
	}{
		{"nosuchfn=good_release", "", "patch nosuchfn -> good_release: unknown target nosuchfn: no kernel function of that name"},
		{"utsRelease=wide_release", "", "patch utsRelease -> wide_release: signature mismatch: gojos/kern/proc.utsRelease is func(*[65]uint8) int32, replacement wide_release is declared unsigned int(char *, int): the Go function has 1 parameters, the C prototype 2 (want int(void *))"},
		{"kdemo.greeting=greeting_c", "", "patch kdemo.greeting -> greeting_c: target gojos/kern/kdemo.greeting is inlined: gojos/kern/kdemo.greeting is inlined into 1 function: gojos/kern/kdemo.Greet (1 call site): those copies keep the old code (force = [...] in the rule patches it anyway)"},
		{"kdemo.greeting=greeting_c", "kdemo.greeting", "signature mismatch: gojos/kern/kdemo.greeting is func(string) string, replacement greeting_c is declared int(int): parameter 1: Go string has no C equivalent"},
		{"runtime.schedule=good_release", "", "target runtime.schedule is not patchable: runtime.schedule is in the runtime's proc.go (the scheduler)"},
		{"runtime.memmove=good_release", "", "target runtime.memmove is not patchable: runtime.memmove is written in assembly"},
		{"utsRelease=no_proto", "", "replacement no_proto for gojos/kern/proc.utsRelease has no declared prototype: add KPATCH_PROTO(ret, no_proto, params...) (want int(void *))"},
		{"utsRelease=missing", "", "replacement missing is not a global function defined in the module"},
		{"utsRelease", "", `patch "utsRelease": want "kernel function": "C replacement"`},
		{"utsRelease=good_release", "kpatch_test1", "force names kpatch_test1, which the module does not patch"},
	} {
		o.patches = multi{c.patch}
		o.force = nil
		if c.force != "" {
			o.force = multi{c.force}
		}
		err := run(o)
		if err == nil || !strings.Contains(err.Error(), "gojos_livepatch "+rule+": ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s (force %q): %v\nwant an error naming the rule and containing %q", c.patch, c.force, err, c.want)
		}
	}
	o.patches = multi{"nosuchfn=good_release", "utsRelease=wide_release"}
	o.force = nil
	if err := run(o); err == nil || !strings.Contains(err.Error(), "2 bad patch(es)") {
		t.Errorf("two bad patches: %v", err)
	}
	o.patches = multi{"utsRelease=good_release"}
	o.buildID = "12"
	if err := run(o); err == nil || !strings.Contains(err.Error(), "want 64 hex digits") {
		t.Errorf("bad -build-id: %v", err)
	}
}

// TestBadOriginal: KPATCH_ORIGINAL of a pointer signature, or of a
// function the module does not patch, fails the build.
func TestBadOriginal(t *testing.T) {
	o := inputs(t)
	if _, err := os.Stat(*badOrig); *badOrig == "" || err != nil {
		if *require {
			t.Fatalf("missing input %q", *badOrig)
		}
		t.Skip("no badorig object")
	}
	o.obj = *badOrig
	o.patches = multi{"utsRelease=orig_release"}
	err := run(o)
	for _, want := range []string{
		"patch utsRelease -> orig_release: KPATCH_ORIGINAL: gojos/kern/proc.utsRelease takes or returns *[65]uint8: calling the original is for integer and bool signatures",
		"KPATCH_ORIGINAL(orig_unpatched): orig_unpatched replaces no function of patches",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v\nwant an error containing %q", err, want)
		}
	}
	o.patches = multi{"utsRelease=orig_release", "kdemo.LpBench03=orig_unpatched"}
	if err := run(o); err == nil || strings.Contains(err.Error(), "orig_unpatched") || !strings.Contains(err.Error(), "1 bad patch(es)") {
		t.Errorf("with orig_unpatched patching LpBench03: %v", err)
	}
}
