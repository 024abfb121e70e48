package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestQEMUArgs(t *testing.T) {
	o := options{image: "/w/jos.img", memory: "128M", gdb: true, extra: []string{"-d", "int,cpu_reset", "-D", "q.log"}}
	got := strings.Join(qemuArgs(o), " ")
	want := "-m 128M -drive file=/w/jos.img,format=raw,snapshot=on -device isa-debug-exit,iobase=0xf4,iosize=0x04 " +
		"-no-reboot -vga none -nic none -display none -serial mon:stdio -s -S -d int,cpu_reset -D q.log"
	if got != want {
		t.Errorf("qemuArgs:\n got %s\nwant %s", got, want)
	}
	o = options{image: "/w/jos.img"}
	if got := strings.Join(qemuArgs(o), " "); strings.Contains(got, "-S") || !strings.Contains(got, "-m 256M") {
		t.Errorf("qemuArgs without gdb: %s", got)
	}
}

func TestGDBHint(t *testing.T) {
	h := gdbHint("/out/kern/kernel")
	if !strings.Contains(h, "gdb /out/kern/kernel -ex 'target remote localhost:1234'\n") {
		t.Errorf("hint:\n%s", h)
	}
	if h := gdbHint("/a b/kernel"); !strings.Contains(h, "gdb '/a b/kernel' -ex") {
		t.Errorf("hint does not quote: %s", h)
	}
}

func TestMapExit(t *testing.T) {
	for _, tc := range []struct {
		qemu, want int
		note       string
	}{
		{1, 0, "guest reported success"},
		{3, 1, "guest reported failure status 1"},
		{7, 3, "failure status 3"},
		{0, 0, "without a guest status"},
		{2, 2, "QEMU failed with exit status 2"},
	} {
		got, note := mapExit(tc.qemu)
		if got != tc.want || !strings.Contains(note, tc.note) {
			t.Errorf("mapExit(%d) = %d, %q; want %d, %q", tc.qemu, got, note, tc.want, tc.note)
		}
	}
}

func writeFile(t *testing.T, path, data string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), mode); err != nil {
		t.Fatal(err)
	}
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	runfiles := filepath.Join(dir, "qemu.runfiles")
	work := filepath.Join(dir, "ws")
	writeFile(t, filepath.Join(runfiles, "_main", "jos.img"), "img", 0o644)
	writeFile(t, filepath.Join(runfiles, "other_repo", "x"), "x", 0o644)
	writeFile(t, filepath.Join(work, "my.img"), "mine", 0o644)
	e := env(map[string]string{"RUNFILES_DIR": runfiles, "BUILD_WORKING_DIRECTORY": work})

	for _, tc := range []struct{ in, want string }{
		{"jos.img", filepath.Join(runfiles, "_main", "jos.img")},
		{"../other_repo/x", filepath.Join(runfiles, "other_repo", "x")},
		{"my.img", filepath.Join(work, "my.img")},
		{filepath.Join(work, "my.img"), filepath.Join(work, "my.img")},
		{"", ""},
	} {
		got, err := resolve("disk image", tc.in, e)
		if err != nil || got != tc.want {
			t.Errorf("resolve(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	_, err := resolve("disk image", "missing.img", e)
	if err == nil || !strings.Contains(err.Error(), `disk image "missing.img" not found`) || !strings.Contains(err.Error(), "bazel build") {
		t.Errorf("missing image: %v", err)
	}
	// Symlinks (runfiles trees are made of them) resolve to the real file.
	link := filepath.Join(dir, "link.elf")
	if err := os.Symlink(filepath.Join(work, "my.img"), link); err != nil {
		t.Fatal(err)
	}
	if got, _ := resolve("kernel", link, e); got != filepath.Join(work, "my.img") {
		t.Errorf("symlink resolved to %q", got)
	}
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	img := filepath.Join(dir, "jos.img")
	writeFile(t, img, "img", 0o644)
	e := env(nil)
	for _, tc := range []struct {
		o    options
		want string
	}{
		{options{qemu: "qemu-system-i386"}, "--image is required"},
		{options{qemu: "qemu-system-i386", image: img + "x"}, "not found"},
		{options{qemu: "qemu-system-i386", image: img, gdb: true}, "--gdb needs --kernel"},
		{options{qemu: filepath.Join(dir, "no-qemu"), image: img}, "README.md"},
	} {
		err := run(tc.o, e, &bytes.Buffer{}, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("run(%+v) = %v, want %q", tc.o, err, tc.want)
		}
	}
}

func TestRunDryRunAndExitCodes(t *testing.T) {
	dir := t.TempDir()
	img := filepath.Join(dir, "jos.img")
	writeFile(t, img, "img", 0o644)
	kernel := filepath.Join(dir, "kernel")
	writeFile(t, kernel, "elf", 0o644)
	fake := filepath.Join(dir, "fake-qemu")
	writeFile(t, fake, "#!/bin/sh\nexit ${FAKE_CODE:-1}\n", 0o755)

	var out bytes.Buffer
	if err := run(options{qemu: fake, image: img, dryRun: true, extra: []string{"-smp", "2"}}, env(nil), &out, &out); err != nil {
		t.Fatal(err)
	}
	if want := fake + " -m 256M -drive file=" + img; !strings.HasPrefix(out.String(), want) ||
		!strings.HasSuffix(out.String(), " -smp 2\n") {
		t.Errorf("dry run printed %q, want it to start with %q and end with -smp 2", out.String(), want)
	}

	for code, want := range map[string]int{"1": 0, "5": 2, "0": 0, "4": 4} {
		t.Setenv("FAKE_CODE", code)
		var log bytes.Buffer
		err := run(options{qemu: fake, image: img, kernel: kernel, gdb: true}, env(nil), &log, &log)
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != want {
			t.Errorf("QEMU status %s: run = %v, want exit %d", code, err, want)
		}
		if !strings.Contains(log.String(), "gdb "+kernel+" -ex 'target remote localhost:1234'") {
			t.Errorf("no gdb hint in:\n%s", log.String())
		}
	}
}
