package modfuzz

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gojos/user/internal/cmdutil"
)

// fake is a kernel whose answers depend on the module file's contents:
// "refuse:REASON", "fault:REASON", "load:NAME", "stay:NAME" (no exit),
// "exitfault:NAME", "kill" (the probe fails afterwards).
type fake struct {
	loaded []string
	probe  error
	calls  []string
}

func (k *fake) Insert(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	k.calls = append(k.calls, "insert "+filepath.Base(path))
	what, arg, _ := strings.Cut(string(data), ":")
	switch what {
	case "refuse":
		return errors.New(arg)
	case "fault":
		return errors.New("module faulted: " + arg)
	case "kill":
		k.probe = errors.New("kcall kpatch_test1: no answer")
		return errors.New("gone")
	}
	k.loaded = append(k.loaded, what+":"+arg)
	return nil
}

func (k *fake) Remove(name string) error {
	k.calls = append(k.calls, "remove "+name)
	for i, m := range k.loaded {
		what, n, _ := strings.Cut(m, ":")
		if n != name {
			continue
		}
		switch what {
		case "stay":
			return errors.New(name + " has no exit function")
		case "exitfault":
			return errors.New("page fault in the exit function")
		}
		k.loaded = append(k.loaded[:i], k.loaded[i+1:]...)
		return nil
	}
	return errors.New("no such module")
}

func (k *fake) Modules() ([]string, error) {
	var names []string
	for _, m := range k.loaded {
		_, n, _ := strings.Cut(m, ":")
		names = append(names, n)
	}
	return names, nil
}

func (k *fake) Probe(fn string) error {
	k.calls = append(k.calls, "probe "+fn)
	return k.probe
}

func setup(t *testing.T, files map[string]string) (string, *fake) {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	k := &fake{}
	saved := Sys
	Sys = k
	t.Cleanup(func() { Sys = saved })
	return dir, k
}

func runCmd(args ...string) (int, string, string) {
	var out, errs bytes.Buffer
	status := cmdutil.Status("modfuzz", Run(append([]string{"modfuzz"}, args...), nil, &out, &errs), &errs)
	return status, out.String(), errs.String()
}

func TestOutcomes(t *testing.T) {
	dir, k := setup(t, map[string]string{
		"0000.ko":  "refuse:bad relocation",
		"0001.ko":  "load:t001",
		"0002.ko":  "fault:init",
		"0003.ko":  "stay:t003",
		"0004.ko":  "exitfault:t004",
		"notes":    "not a module",
		"MANIFEST": "0000.ko\trefuse \"bad relocation\"\tx\n0001.ko\tload t001\tx\n0002.ko\tload-changed t002\tx\n0003.ko\tload-changed t003\tx\n0004.ko\trefuse \"no\"\tx\n",
	})
	status, out, errs := runCmd(dir)
	want := `modfuzz: 0000.ko ...
modfuzz: 0000.ko refused: "bad relocation"
modfuzz: 0001.ko ...
modfuzz: 0001.ko loaded as t001, removed
modfuzz: 0002.ko ...
modfuzz: 0002.ko faulted (contained): "module faulted: init"
modfuzz: 0003.ko ...
modfuzz: 0003.ko loaded as t003, stays loaded: "t003 has no exit function"
modfuzz: 0004.ko ...
modfuzz: 0004.ko loaded as t004, exit faulted (contained): "page fault in the exit function"
modfuzz: 0004.ko MISMATCH: host: refuse "no"; kernel: loaded as t004
modfuzz: done: 5 mutants: 1 refused, 3 loaded (1 removed, 1 stayed), 2 faulted (contained), 0 probe failures, 1 host mismatches`
	if got := regexp.MustCompile(` \([0-9.]+s\)\n$`).ReplaceAllString(out, ""); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", out, want)
	}
	if status != 1 || errs != "" {
		t.Errorf("status %d, stderr %q; want 1 (a mismatch)", status, errs)
	}
	if strings.Count(strings.Join(k.calls, "\n"), "probe kpatch_test1") != 5 {
		t.Errorf("calls %q: want a probe after each module", k.calls)
	}
}

func TestRangeAndProbe(t *testing.T) {
	dir, k := setup(t, map[string]string{"0000.ko": "load:a", "0001.ko": "kill", "0002.ko": "load:c", "0003.ko": "load:d"})
	status, out, _ := runCmd("-from", "1", "-to", "3", "-probe", "kpatch_bench_a", dir)
	if status != 1 || !strings.Contains(out, "modfuzz: 0001.ko PROBE FAILED: kcall kpatch_test1: no answer\n") ||
		!strings.Contains(out, "done: 2 mutants: 1 refused, 1 loaded (1 removed, 0 stayed), 0 faulted (contained), 2 probe failures, 0 host mismatches") ||
		strings.Contains(out, "0000.ko") || strings.Contains(out, "0003.ko") {
		t.Errorf("status %d, output:\n%s", status, out)
	}
	if k.calls[1] != "probe kpatch_bench_a" {
		t.Errorf("calls %q", k.calls)
	}
	if status, _, errs := runCmd(t.TempDir()); status != 1 || !strings.Contains(errs, "no .ko files") {
		t.Errorf("empty directory: %d %q", status, errs)
	}
	if status, _, _ := runCmd(); status != 2 {
		t.Errorf("no directory: status %d", status)
	}
}

func TestMismatch(t *testing.T) {
	for _, c := range []struct {
		verdict string
		o       outcome
		differs bool
	}{
		{"", outcome{kind: "loaded", name: "x"}, false},
		{`refuse "a"`, outcome{kind: "refused", reason: `"a"`}, false},
		{`refuse "a"`, outcome{kind: "refused", reason: `"b"`}, true},
		{`refuse "a"`, outcome{kind: "faulted", reason: `"a"`}, true},
		{"load t1", outcome{kind: "loaded", name: "t1"}, false},
		{"load t1", outcome{kind: "loaded", name: "t2"}, true},
		{"load t1", outcome{kind: "faulted", reason: `"fault"`}, true},
		{"load-changed t1", outcome{kind: "faulted", reason: `"fault"`}, false},
		{"load-changed t1", outcome{kind: "refused", reason: `"t1: init_module returned -1"`}, false},
		{"load-changed t1", outcome{kind: "refused", reason: `"other"`}, true},
		{`panic "x"`, outcome{kind: "refused"}, false},
	} {
		if got := mismatch(c.verdict, c.o); (got != "") != c.differs {
			t.Errorf("mismatch(%q, %+v) = %q", c.verdict, c.o, got)
		}
	}
}
