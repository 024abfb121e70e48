package proc

import (
	"errors"
	"strings"
	"testing"

	"gojos/kern/abi/linux"
)

func TestCtlOpenToAll(t *testing.T) {
	for req, open := range map[string]bool{
		"lasterror":                true,
		"kpatch -l":                true,
		"kpatch -d kpatch_test1":   true,
		"ksyms kpatch_test2":       true,
		"ksyms kpatch_test2+0x10":  true,
		"  ksyms   test:test2 ":    true,
		"ksyms 0xc0100000":         false,
		"kpatch -d 0xc0241580":     false,
		"kcall kpatch_test1":       false,
		"kpatch a b":               false,
		"kpatch -u a":              false,
		"kpatch -u a b":            false,
		"kpatch -l extra":          false,
		"kpatch":                   false,
		"testbug":                  false,
		"":                         false,
		"lasterror x":              false,
		"newrequest patch-all now": false,
		"ksyms":                    false,
		"livepatch list":           true,
		"livepatch info lpfix":     true,
		"livepatch list extra":     false,
		"livepatch info":           false,
		"livepatch selftest":       false,
		"livepatch last":           false,
	} {
		got, why := CtlOpenToAll(req)
		if got != open {
			t.Errorf("%q: open = %v, want %v (%s)", req, got, open, why)
		}
		if !got && why == "" {
			t.Errorf("%q: refused without a reason", req)
		}
	}
}

func TestPermError(t *testing.T) {
	var err error = &PermError{Op: "init_module", What: "loading a kernel module", Uid: 1000, Euid: 1000}
	if !errors.Is(err, linux.Errno(linux.EPERM)) || !errors.Is(err, ErrNeedRoot) {
		t.Error("classes")
	}
	if !strings.Contains(err.Error(), "init_module: operation not permitted: loading a kernel module needs root (euid 0); this process runs as uid 1000") {
		t.Error(err)
	}
}
