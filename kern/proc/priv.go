package proc

import (
	"errors"
	"fmt"
	"strings"

	"gojos/kern/abi/linux"
)

// The privilege model: what changes the kernel needs root (euid 0), checked
// here, in the kernel, whatever tool makes the call — init_module,
// finit_module, delete_module, reboot and every SYS_gojos_ctl request but
// an allow-list of read-only ones (CtlOpenToAll). Linux requires
// CAP_SYS_MODULE and CAP_SYS_BOOT; gojos has one capability: euid 0.

// ErrNeedRoot is the class of every refusal for lack of privilege.
var ErrNeedRoot = errors.New("needs root")

// PermError is a refusal for lack of privilege: EPERM, with the reason.
type PermError struct {
	Op, What  string // the call, and what needs root
	Uid, Euid uint32
}

func (e *PermError) Error() string {
	return fmt.Sprintf("%s: operation not permitted: %s needs root (euid 0); this process runs as uid %d, euid %d",
		e.Op, e.What, e.Uid, e.Euid)
}

// Unwrap gives EPERM and ErrNeedRoot.
func (e *PermError) Unwrap() []error { return []error{linux.Errno(linux.EPERM), ErrNeedRoot} }

// CtlOpenToAll reports whether an unprivileged process may make the
// SYS_gojos_ctl request req, and if not what in it needs root. Open are the
// requests that only read (their answers have addresses hidden, kptr.go):
//
//	lasterror
//	kpatch -l
//	kpatch -d NAME
//	ksyms NAME      (also NAME+0xOFF)
//	livepatch list  (kpatch list)
//	livepatch info NAME
//
// NAME must be a symbol name: looking a kernel address up (0x…) would tell
// what lies there, so it needs root. Every other request — kcall, kpatch,
// kpatch -u, testbug, and whatever is added later — needs root.
func CtlOpenToAll(req string) (bool, string) {
	f := strings.Fields(req)
	if len(f) == 0 {
		return false, "an empty request"
	}
	isAddr := func(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }
	switch {
	case len(f) == 1 && f[0] == "lasterror":
		return true, ""
	case len(f) == 2 && f[0] == "kpatch" && f[1] == "-l",
		len(f) == 2 && f[0] == "livepatch" && f[1] == "list",
		len(f) == 3 && f[0] == "livepatch" && f[1] == "info":
		return true, ""
	case len(f) == 3 && f[0] == "kpatch" && f[1] == "-d", len(f) == 2 && f[0] == "ksyms":
		if isAddr(f[len(f)-1]) {
			return false, fmt.Sprintf("looking up a kernel address (%s ADDRESS: addresses are hidden from other users, as Linux's kptr_restrict does)",
				strings.Join(f[:len(f)-1], " "))
		}
		return true, ""
	case f[0] == "kcall":
		return false, "calling a kernel function (kcall runs kernel code)"
	case f[0] == "kpatch" && len(f) > 1 && f[1] == "-u":
		return false, "removing a live patch (kpatch -u)"
	case f[0] == "kpatch":
		return false, "live patching (kpatch)"
	}
	return false, fmt.Sprintf("the request %q (only lasterror, kpatch -l, kpatch -d NAME, ksyms NAME, livepatch list and livepatch info NAME are open to every user)", f[0])
}
