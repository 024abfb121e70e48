package proc

import (
	"errors"
	"path"
	"unsafe"

	"gojos/kern/abi/linux"
)

// Live patching and modules for user tools: served by Deps.Patching
// (kern/kpatch and kern/module), so this package does not depend on them.

func (t *Thread) setLastErr(err error) int32 {
	t.P.mu.Lock()
	t.P.lastErr = err.Error()
	t.P.mu.Unlock()
	return errnoOrEINVAL(err)
}

// sysCtl: ctl(req, reqlen, resp, resplen).
func (t *Thread) sysCtl(req, reqlen, resp, resplen uint32) int32 {
	if reqlen > linux.CtlMaxRequest {
		return -linux.E2BIG
	}
	var buf [128]byte // most requests: one allocation, the string
	b := buf[:min(reqlen, uint32(len(buf)))]
	if reqlen > uint32(len(buf)) {
		b = make([]byte, reqlen)
	}
	if err := t.P.as.CopyIn(req, b); err != nil {
		return errno(err)
	}
	request := string(b)
	var out string
	// The request is judged, and its answer shown, with the credentials
	// it was made with (priv_ctl.go: root, or a read-only request).
	root := t.P.privileged()
	err := t.ctlPermitted(request, root)
	switch {
	case err != nil:
		// refused: EPERM with the reason
	case request == linux.CtlTestBug:
		var none []int
		_ = none[len(b)] // a kernel bug on purpose: index out of range
	case request == "lasterror":
		t.P.mu.Lock()
		out = t.P.lastErr
		t.P.mu.Unlock()
		if out == "" {
			out = "no error"
		}
		out += "\n"
	case deps.Patching.Ctl == nil:
		err = linux.Errno(linux.ENOSYS)
	default:
		out, err = deps.Patching.Ctl(request)
	}
	r := int32(len(out))
	if err != nil {
		out = err.Error() + "\x00"
		r = errnoOrEINVAL(err)
	}
	out = ctlVisible(out, root) // answers and reasons alike, same length
	if uint32(len(out)) > resplen {
		out = out[:resplen]
	}
	if err := t.P.as.CopyOut(resp, unsafe.Slice(unsafe.StringData(out), len(out))); err != nil { // only read
		return errno(err)
	}
	return r
}

func (t *Thread) clearLastErr() {
	t.P.mu.Lock()
	t.P.lastErr = ""
	t.P.mu.Unlock()
}

func (t *Thread) sysInitModule(image, n, params uint32) int32 {
	t.clearLastErr()
	if r := t.rootOnly("init_module", "loading a kernel module"); r != 0 {
		return r
	}
	if deps.Patching.LoadModule == nil {
		return -linux.ENOSYS
	}
	if n > 16<<20 {
		return t.setLastErr(errors.New("module image larger than 16 MiB"))
	}
	if params != 0 {
		p, err := t.P.as.ReadString(params, 4096)
		if err != nil {
			return errno(err)
		}
		if p != "" {
			return t.setLastErr(errors.New("module parameters are not supported"))
		}
	}
	b := make([]byte, n)
	if err := t.P.as.CopyIn(image, b); err != nil {
		return errno(err)
	}
	if err := deps.Patching.LoadModule(b, ""); err != nil {
		return t.setLastErr(err)
	}
	return 0
}

func (t *Thread) sysFinitModule(fd int, params uint32) int32 {
	t.clearLastErr()
	if r := t.rootOnly("finit_module", "loading a kernel module"); r != 0 {
		return r
	}
	of, err := t.P.files.Get(fd)
	if err != nil {
		return errno(err)
	}
	var data []byte
	buf := make([]byte, 64<<10)
	for len(data) < 16<<20 {
		n, err := readCancel(of.f, buf, t.P.done) // a pipe may never end: stop when the caller dies
		data = append(data, buf[:n]...)
		if err != nil || n == 0 {
			break
		}
	}
	if t.P.isExiting() {
		return -linux.EINTR // the caller died while its read waited
	}
	if deps.Patching.LoadModule == nil {
		return -linux.ENOSYS
	}
	name := ""
	if st, err := of.f.Stat(); err == nil {
		name = path.Base(st.Name())
	}
	if err := deps.Patching.LoadModule(data, name); err != nil {
		return t.setLastErr(err)
	}
	return 0
}

func (t *Thread) sysDeleteModule(nameAddr, flags uint32) int32 {
	t.clearLastErr()
	if r := t.rootOnly("delete_module", "removing a kernel module"); r != 0 {
		return r
	}
	name, err := t.P.as.ReadString(nameAddr, 64)
	if err != nil {
		return errno(err)
	}
	if deps.Patching.UnloadModule == nil {
		return -linux.ENOSYS
	}
	if err := deps.Patching.UnloadModule(name); err != nil {
		return t.setLastErr(err)
	}
	return 0
}
