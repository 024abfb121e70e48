package kctl

import (
	"bytes"
	"errors"
	"runtime"
	"syscall"
	"testing"
	"time"

	"gojos/kern/abi/linux"
)

// fakeCtl answers requests from a table: a response, or an errno with a
// reason. It records the requests.
type fakeCtl struct {
	answers map[string]answer
	reqs    []string
}

type answer struct {
	text  string
	errno syscall.Errno
}

func (f *fakeCtl) ctl(req, resp []byte) (int, syscall.Errno) {
	f.reqs = append(f.reqs, string(req))
	a, ok := f.answers[string(req)]
	if !ok {
		a = answer{"unknown request", syscall.EINVAL}
	}
	n := copy(resp, a.text)
	if a.errno != 0 {
		if n < len(resp) {
			resp[n] = 0
		}
		return 0, a.errno
	}
	return n, 0
}

func install(t *testing.T, f *fakeCtl) {
	t.Helper()
	saved := RawCtl
	RawCtl = f.ctl
	t.Cleanup(func() { RawCtl = saved })
}

func TestCtl(t *testing.T) {
	f := &fakeCtl{answers: map[string]answer{
		"ksyms test2": {text: "0xc8001234 test2\n"},
		"kcall nope":  {text: "kcall: no symbol nope\n", errno: syscall.ENOENT},
		"kcall 0x1":   {errno: syscall.EFAULT},
		"kpatch -l":   {text: ""},
		"kcall trunc": {text: "reason", errno: syscall.EINVAL},
	}}
	install(t, f)
	if got, err := Ctl("ksyms test2"); err != nil || got != "0xc8001234 test2\n" {
		t.Errorf("ksyms: %q, %v", got, err)
	}
	if got, err := Ctl("kpatch -l"); err != nil || got != "" {
		t.Errorf("kpatch -l: %q, %v", got, err)
	}
	_, err := Ctl("kcall nope")
	var e *Error
	if !errors.As(err, &e) || e.Errno != syscall.ENOENT || e.Reason != "kcall: no symbol nope" || err.Error() != e.Reason {
		t.Errorf("kcall nope: %#v", err)
	}
	if !errors.Is(err, syscall.ENOENT) {
		t.Errorf("errors.Is(%v, ENOENT) is false", err)
	}
	// No reason: the errno's text (not the previous request's reason, left
	// in the reused buffer).
	if _, err := Ctl("kcall 0x1"); err == nil || err.Error() != syscall.EFAULT.Error() {
		t.Errorf("kcall 0x1: %v", err)
	}
	if _, err := Ctl("kcall trunc"); err == nil || err.Error() != "reason" {
		t.Errorf("kcall trunc: %v", err)
	}
	long := make([]byte, linux.CtlMaxRequest+1)
	if _, err := Ctl(string(long)); !errors.Is(err, syscall.E2BIG) {
		t.Errorf("long request: %v", err)
	}
}

func TestDo(t *testing.T) {
	install(t, &fakeCtl{answers: map[string]answer{
		"a": {text: "no newline"},
		"b": {text: "two\nlines\n"},
		"c": {text: ""},
		"d": {text: "bad", errno: syscall.EINVAL},
	}})
	for req, want := range map[string]string{"a": "no newline\n", "b": "two\nlines\n", "c": ""} {
		var out bytes.Buffer
		if err := Do(req, &out); err != nil || out.String() != want {
			t.Errorf("Do(%q): %q, %v; want %q", req, out.String(), err, want)
		}
	}
	var out bytes.Buffer
	if err := Do("d", &out); err == nil || err.Error() != "bad" || out.Len() != 0 {
		t.Errorf("Do(d): %q, %v", out.String(), err)
	}
}

func TestModules(t *testing.T) {
	f := &fakeCtl{answers: map[string]answer{"lasterror": {text: "test: bad relocation type 7\n"}}}
	install(t, f)
	savedInit, savedDel := RawInitModule, RawDeleteModule
	t.Cleanup(func() { RawInitModule, RawDeleteModule = savedInit, savedDel })

	var gotImage, gotParams, gotName []byte
	var gotFlags int
	var errno syscall.Errno
	RawInitModule = func(image, params []byte) syscall.Errno {
		gotImage, gotParams = image, params
		return errno
	}
	RawDeleteModule = func(name []byte, flags int) syscall.Errno {
		gotName, gotFlags = name, flags
		return errno
	}
	if err := InitModule([]byte("\x7fELF"), "a=1 b"); err != nil {
		t.Fatal(err)
	}
	if string(gotImage) != "\x7fELF" || string(gotParams) != "a=1 b\x00" {
		t.Errorf("init_module(%q, %q)", gotImage, gotParams)
	}
	if err := DeleteModule("test", linux.O_NONBLOCK_MODULE); err != nil {
		t.Fatal(err)
	}
	if string(gotName) != "test\x00" || gotFlags != linux.O_NONBLOCK_MODULE {
		t.Errorf("delete_module(%q, %#x)", gotName, gotFlags)
	}
	if len(f.reqs) != 0 {
		t.Errorf("lasterror asked after success: %q", f.reqs)
	}

	errno = syscall.ENOEXEC
	err := InitModule(nil, "")
	var e *Error
	if !errors.As(err, &e) || e.Errno != syscall.ENOEXEC || e.Reason != "test: bad relocation type 7" {
		t.Errorf("InitModule: %#v", err)
	}
	// No last error (the call failed before the kernel recorded one):
	// the errno's text.
	f.answers["lasterror"] = answer{text: "no error\n"}
	errno = syscall.EFAULT
	if err := InitModule(nil, ""); err == nil || err.Error() != syscall.EFAULT.Error() {
		t.Errorf("InitModule without last error: %v", err)
	}
	// lasterror itself failing: the errno's text.
	f.answers["lasterror"] = answer{text: "no error", errno: syscall.ENOENT}
	errno = syscall.EBUSY
	if err := DeleteModule("test", 0); err == nil || err.Error() != syscall.EBUSY.Error() {
		t.Errorf("DeleteModule: %v", err)
	}
}

func TestFinitModule(t *testing.T) {
	f := &fakeCtl{answers: map[string]answer{"lasterror": {text: "0042: bad relocation\n"}}}
	install(t, f)
	saved := RawFinitModule
	t.Cleanup(func() { RawFinitModule = saved })
	var gotFd int
	var gotParams []byte
	var errno syscall.Errno
	RawFinitModule = func(fd int, params []byte) syscall.Errno {
		gotFd, gotParams = fd, params
		return errno
	}
	if err := FinitModule(7, ""); err != nil || gotFd != 7 || string(gotParams) != "\x00" {
		t.Errorf("finit_module(%d, %q): %v", gotFd, gotParams, err)
	}
	errno = syscall.ENOEXEC
	var e *Error
	if err := FinitModule(7, ""); !errors.As(err, &e) || e.Errno != syscall.ENOEXEC || e.Reason != "0042: bad relocation" {
		t.Errorf("FinitModule: %#v", err)
	}
}

// TestRawCtlHost makes the real control call on a Linux host, which does
// not have it: an errno (ENOSYS, or EPERM under some seccomp filters) with
// no reason. (The module calls' numbers are i386 ones and mean other calls
// on amd64, so they are never made here.)
func TestRawCtlHost(t *testing.T) {
	if runtime.GOOS != "linux" || (runtime.GOARCH != "amd64" && runtime.GOARCH != "386") {
		t.Skip("not a Linux x86 host")
	}
	for _, req := range []string{"kpatch -l", ""} {
		_, err := Ctl(req)
		var e *Error
		if !errors.As(err, &e) || e.Errno == 0 || e.Reason != "" {
			t.Errorf("Ctl(%q) on the host: %#v; want an errno without reason", req, err)
		}
	}
}

func TestIsWord(t *testing.T) {
	for s, want := range map[string]bool{
		"kpatch_test1": true, "0xc0101234": true, "test:test2": true, "-u": true,
		"": false, " ": false, "a b": false, "a\tb": false, "a\n": false, "a\x00": false,
	} {
		if IsWord(s) != want {
			t.Errorf("IsWord(%q) = %v", s, !want)
		}
	}
}

// Requests from several goroutines are in the kernel at the same time:
// the reused response buffers must not serialise them (kstress calls
// functions while it patches them).
func TestCtlConcurrent(t *testing.T) {
	inside := make(chan struct{})
	release := make(chan struct{})
	saved := RawCtl
	RawCtl = func(req, resp []byte) (int, syscall.Errno) {
		inside <- struct{}{}
		<-release
		return copy(resp, req), 0
	}
	t.Cleanup(func() { RawCtl = saved })
	done := make(chan string, 2)
	for _, r := range []string{"kcall a", "kcall b"} {
		go func() {
			got, _ := Ctl(r)
			done <- got
		}()
	}
	for i := 0; i < 2; i++ {
		select {
		case <-inside:
		case <-time.After(5 * time.Second):
			t.Fatal("the second request did not reach the kernel while the first was there")
		}
	}
	close(release)
	got := map[string]bool{<-done: true, <-done: true}
	if !got["kcall a"] || !got["kcall b"] {
		t.Errorf("answers: %v (each request must get its own response)", got)
	}
}
