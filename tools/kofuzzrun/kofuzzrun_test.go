package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The test binary doubles as a fake QEMU: a guest whose modfuzz goes through
// six mutants, where 0002 kills the kernel and 0004 hangs it.
func TestMain(m *testing.M) {
	if os.Getenv("KOFUZZRUN_FAKE_GUEST") == "1" {
		fakeGuest()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func fakeGuest() {
	fmt.Print("gojos\r\n$ ")
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		var from int
		var dir string
		if _, err := fmt.Sscanf(sc.Text(), "modfuzz -from %d %s", &from, &dir); err != nil {
			fmt.Printf("sh: %q\r\n$ ", sc.Text())
			continue
		}
		n := 0
		for i := from; i < 6; i++ {
			n++
			fmt.Printf("modfuzz: %04d.ko ...\r\n", i)
			switch i {
			case 2:
				fmt.Print("panic: page fault\r\n")
				os.Exit(0) // QEMU ends: -no-reboot after a triple fault
			case 4:
				time.Sleep(time.Hour)
			case 3:
				fmt.Printf("modfuzz: %04d.ko loaded as t003, stays loaded: \"no exit\"\r\n", i)
				fmt.Printf("modfuzz: %04d.ko MISMATCH: host: refuse \"x\"; kernel: loaded as t003\r\n", i)
			default:
				fmt.Printf("modfuzz: %04d.ko refused: \"bad\"\r\n", i)
			}
		}
		fmt.Printf("modfuzz: done: %d mutants: ...\r\n$ ", n)
	}
}

func TestCampaign(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	manifest := "0002.ko\trefuse \"x\"\tflip: flip 0x10^0x1\n0004.ko\tload-changed t004\ttext: 0x40:=0x0\n"
	if err := os.WriteFile(filepath.Join(dir, "MANIFEST"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	results := filepath.Join(dir, "results.tsv")
	o := options{image: "fake.img", qemu: self, qemuArgs: []string{}, qemuEnv: []string{"KOFUZZRUN_FAKE_GUEST=1"},
		dir: "/lib/modules/fuzz", mutants: dir, mutantTime: 3 * time.Second, bootTime: 10 * time.Second, results: results}
	var out bytes.Buffer
	if err := run(o, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{
		`kofuzzrun: 0002.ko: kernel death: QEMU ended`,
		`kofuzzrun: 0004.ko: kernel hang: no outcome in 3s`,
		"kofuzzrun: 6 mutants: 3 refused, 1 loaded (1 stayed loaded), 0 faulted (contained), 1 kernel deaths, 1 hangs, 0 probe failures, 1 host mismatches; 3 boots",
		`  0002.ko death [host: refuse "x"; flip: flip 0x10^0x1]`,
		`  0003.ko loaded, mismatch: host: refuse "x"; kernel: loaded as t003`,
		"by host verdict: death on host-refuse 1, hang on host-load-changed 1",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if !strings.Contains(out.String(), `panic: page fault`) {
		t.Errorf("the dying kernel's last output is not reported:\n%s", out.String())
	}
	data, err := os.ReadFile(results)
	if err != nil || strings.Count(string(data), "\n") != 6 || !strings.Contains(string(data), "0004.ko\thang\t") {
		t.Errorf("results file %q: %v", data, err)
	}
	o.strict = true
	if err := run(o, &out); err == nil || !strings.Contains(err.Error(), "1 kernel deaths, 1 hangs, 0 probe failures, 1 host mismatches") {
		t.Errorf("-strict: %v", err)
	}
}
