// Package kctltest fakes the kernel behind package kctl for the tests of
// the commands built on it: the control call answers from a table, and the
// module calls return set errnos, recording every call.
package kctltest

import (
	"syscall"
	"testing"

	"gojos/user/internal/kctl"
)

// Answer is the kernel's answer to a control request: a response, or an
// errno with a reason (Text).
type Answer struct {
	Text  string
	Errno syscall.Errno
}

// Init is a recorded init_module call.
type Init struct {
	Image  string
	Params string // without the NUL
}

// Delete is a recorded delete_module call.
type Delete struct {
	Name  string // without the NUL
	Flags int
}

// Kernel is the fake. A request not in Answers fails with EINVAL and the
// reason "unknown request".
type Kernel struct {
	Answers     map[string]Answer
	InitErrno   syscall.Errno // what init_module returns
	DeleteErrno syscall.Errno // what delete_module returns

	Requests []string // control requests, in order
	Inits    []Init
	Deletes  []Delete
}

// Install makes k the kernel of package kctl until the test ends.
func Install(t testing.TB, k *Kernel) *Kernel {
	t.Helper()
	ctl, ini, del := kctl.RawCtl, kctl.RawInitModule, kctl.RawDeleteModule
	t.Cleanup(func() { kctl.RawCtl, kctl.RawInitModule, kctl.RawDeleteModule = ctl, ini, del })
	kctl.RawCtl, kctl.RawInitModule, kctl.RawDeleteModule = k.ctl, k.initModule, k.deleteModule
	return k
}

func (k *Kernel) ctl(req, resp []byte) (int, syscall.Errno) {
	k.Requests = append(k.Requests, string(req))
	a, ok := k.Answers[string(req)]
	if !ok {
		a = Answer{"unknown request", syscall.EINVAL}
	}
	n := copy(resp, a.Text)
	if a.Errno != 0 {
		if n < len(resp) {
			resp[n] = 0
		}
		return 0, a.Errno
	}
	return n, 0
}

func (k *Kernel) initModule(image, params []byte) syscall.Errno {
	p := string(params)
	if len(p) > 0 && p[len(p)-1] == 0 {
		p = p[:len(p)-1]
	}
	k.Inits = append(k.Inits, Init{Image: string(image), Params: p})
	return k.InitErrno
}

func (k *Kernel) deleteModule(name []byte, flags int) syscall.Errno {
	n := string(name)
	if len(n) > 0 && n[len(n)-1] == 0 {
		n = n[:len(n)-1]
	}
	k.Deletes = append(k.Deletes, Delete{Name: n, Flags: flags})
	return k.DeleteErrno
}
