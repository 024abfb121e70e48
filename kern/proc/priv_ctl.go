package proc

// The privilege checks of the system calls (priv.go has the model).

// permError is the refusal of op for a process without privilege.
func (p *Process) permError(op, what string) error {
	c := p.Cred()
	return &PermError{Op: op, What: what, Uid: c.Ruid, Euid: c.Euid}
}

// rootOnly returns 0 if the caller is root; otherwise it records the reason
// (for "lasterror") and returns -EPERM.
func (t *Thread) rootOnly(op, what string) int32 {
	if t.P.privileged() {
		return 0
	}
	return t.setLastErr(t.P.permError(op, what))
}

// ctlPermitted returns nil if the caller (root if root) may make the
// SYS_gojos_ctl request req, else the refusal (EPERM).
func (t *Thread) ctlPermitted(req string, root bool) error {
	if root {
		return nil
	}
	if ok, why := CtlOpenToAll(req); !ok {
		return t.P.permError("gojos_ctl", why)
	}
	return nil
}

// ctlVisible is a SYS_gojos_ctl answer as the caller may see it: kernel
// addresses zeroed unless it is root.
func ctlVisible(out string, root bool) string {
	if root {
		return out
	}
	return HideAddrs(out)
}
