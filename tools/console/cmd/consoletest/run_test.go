package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gojos/tools/console"
	"gojos/tools/console/internal/fakeqemu"
)

func TestMain(m *testing.M) {
	fakeqemu.MaybeRun()
	os.Exit(m.Run())
}

// fakeOptions runs this test binary as a fake QEMU running steps.
func fakeOptions(t *testing.T, steps ...string) options {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	img := filepath.Join(t.TempDir(), "jos.img")
	if err := os.WriteFile(img, make([]byte, 512), 0o644); err != nil {
		t.Fatal(err)
	}
	return options{
		cfg:     console.Config{QEMU: exe, Image: img, Env: []string{fakeqemu.Env(steps...)}, LineEnding: "\n"},
		timeout: 5 * time.Second,
		vars:    map[string]string{},
	}
}

func runOpts(t *testing.T, o options, stdin string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), o, strings.NewReader(stdin), &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestCaptureAndSend(t *testing.T) {
	o := fakeOptions(t, `out:gojos 0.1 (i386)\r\ntest2 address: 0xc0105a40\r\n$ `, "echo")
	o.vars["CMD"] = "kpatch"
	script := filepath.Join(t.TempDir(), "kpatch.txt")
	err := os.WriteFile(script, []byte(`# live patch
expect ^gojos
expect test2 address: (0x[0-9a-f]+) => ADDR
expect \$\x20
send ${CMD} kpatch_test1 ${ADDR}
expect echo:kpatch kpatch_test1 ${ADDR}\r\n
set CODE 0
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	o.scripts = []string{script}
	o.inline = []string{"send quit ${CODE}", "expect-exit 0"}
	out, err := runOpts(t, o, "")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{`ADDR="0xc0105a40"`, "kpatch.txt:5: send ${CMD} kpatch_test1 ${ADDR}", "-e:2: expect-exit 0", "PASS, 8 steps"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestScriptFromStdin(t *testing.T) {
	o := fakeOptions(t, "out:hello\n", "guest:2")
	o.scripts = []string{"-"}
	if out, err := runOpts(t, o, "expect hello\nexpect-exit 2\n"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
}

func TestFailureShowsStepAndTranscript(t *testing.T) {
	o := fakeOptions(t, `out:gojos 0.1\r\nkernel panic: bad trap\r\n`, "hang")
	o.inline = []string{"expect gojos", "timeout 300ms", "expect \\$ "}
	_, err := runOpts(t, o, "")
	if err == nil {
		t.Fatal("script passed")
	}
	msg := err.Error()
	for _, want := range []string{"step 3 of 3 failed: -e:3: expect \\$ ", "timed out after 300ms",
		"gojos<<<expect searched from here>>> 0.1\nkernel panic: bad trap\n", "----- end of transcript -----"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
}

func TestWrongExit(t *testing.T) {
	o := fakeOptions(t, "guest:1")
	o.inline = []string{"expect-exit 0"}
	if _, err := runOpts(t, o, ""); err == nil || !strings.Contains(err.Error(), "guest wrote 1") {
		t.Errorf("err = %v", err)
	}
	o = fakeOptions(t, "exit:0")
	o.inline = []string{"expect-qemu-exit 0"}
	if out, err := runOpts(t, o, ""); err != nil {
		t.Errorf("expect-qemu-exit 0: %v\n%s", err, out)
	}
	o = fakeOptions(t, "exit:0")
	o.inline = []string{"expect-qemu-exit 1"}
	if _, err := runOpts(t, o, ""); err == nil || !strings.Contains(err.Error(), "want QEMU exit status 1") {
		t.Errorf("expect-qemu-exit 1: %v", err)
	}
}

func TestTotalDeadline(t *testing.T) {
	o := fakeOptions(t, "hang")
	o.total = 200 * time.Millisecond
	o.inline = []string{"expect never"}
	start := time.Now()
	_, err := runOpts(t, o, "")
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Errorf("err = %v", err)
	}
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("deadline took %v", d)
	}
}

func TestScriptErrorsBeforeQEMU(t *testing.T) {
	o := fakeOptions(t, "out:should not start")
	o.inline = []string{"send ${ADDR}"}
	if _, err := runOpts(t, o, ""); err == nil || !strings.Contains(err.Error(), "-e:1: ${ADDR} is not set") {
		t.Errorf("err = %v", err)
	}
	o.inline = nil
	if _, err := runOpts(t, o, ""); err == nil || !strings.Contains(err.Error(), "empty script") {
		t.Errorf("err = %v", err)
	}
}
