package proc

import "gojos/kern/abi/linux"

// Job control, the minimum of Linux's that makes Ctrl-C work: every
// process is in a process group inside a session (both inherited; init
// starts the first session, which has the console as its controlling
// terminal), and the console has a foreground process group. The line
// discipline (coninput.go) sends SIGINT and SIGQUIT to that group; the
// shell puts each foreground job in a group of its own and makes it the
// foreground (TIOCSPGRP, os/exec's SysProcAttr.Foreground), so the shell
// itself and background jobs do not get the console's Ctrl-C. There are
// no stopped jobs (no SIGTSTP, SIGTTIN, SIGTTOU).

// console is the console's controlling session and foreground group
// (guarded by tableMu).
var console struct{ sid, pgrp int }

// setConsoleSession gives the console to init's new session.
func setConsoleSession(p *Process) {
	tableMu.Lock()
	console.sid, console.pgrp = p.sid, p.pgid
	tableMu.Unlock()
}

func (p *Process) pgrp() int {
	tableMu.Lock()
	defer tableMu.Unlock()
	return p.pgid
}

// groupMembers returns the processes of group pgid.
func groupMembers(pgid int) []*Process {
	tableMu.Lock()
	defer tableMu.Unlock()
	var out []*Process
	for _, p := range procs {
		if p.pgid == pgid {
			out = append(out, p)
		}
	}
	return out
}

// groupSession returns the session of group pgid (tableMu held), 0 if no
// process is in it.
func groupSession(pgid int) int {
	for _, p := range procs {
		if p.pgid == pgid {
			return p.sid
		}
	}
	return 0
}

// ConsoleSignal sends the line discipline's signal to every process of
// the console's foreground group (kmain makes it the console reader's
// Signal).
func ConsoleSignal(sig int) {
	tableMu.Lock()
	pgrp := console.pgrp
	tableMu.Unlock()
	for _, p := range groupMembers(pgrp) {
		p.signal(sig, p.isInit)
	}
}

// lookup returns the process pid names for the caller (0: itself).
func (t *Thread) lookup(pid int32) *Process {
	if pid == 0 {
		return t.P
	}
	if pid < 0 {
		return nil
	}
	tableMu.Lock()
	defer tableMu.Unlock()
	return procs[int(pid)]
}

// sysSetpgid moves process pid (0: the caller; else the caller or one of
// its children) into group pgid (0: pid's own), an existing group of its
// session or a new one named by pid; Linux's errors otherwise.
func (t *Thread) sysSetpgid(pid, pgid int32) int32 {
	if pgid < 0 {
		return -linux.EINVAL
	}
	target := t.lookup(pid)
	if target == nil || (target != t.P && target.Parent() != t.P) {
		return -linux.ESRCH
	}
	if pgid == 0 {
		pgid = int32(target.Pid)
	}
	target.mu.Lock()
	execed := target.execed
	target.mu.Unlock()
	tableMu.Lock()
	defer tableMu.Unlock()
	switch {
	case target != t.P && target.sid != t.P.sid:
		return -linux.EPERM
	case target != t.P && execed:
		return -linux.EACCES
	case target.sid == target.Pid:
		return -linux.EPERM // a session leader stays in its group
	case int(pgid) != target.Pid && groupSession(int(pgid)) != target.sid:
		return -linux.EPERM // no such group in the session
	}
	target.pgid = int(pgid)
	return 0
}

func (t *Thread) sysGetpgid(pid int32) int32 {
	p := t.lookup(pid)
	if p == nil {
		return -linux.ESRCH
	}
	return int32(p.pgrp())
}

// sysSetsid makes the caller the leader of a new session and group,
// without a controlling terminal; EPERM for a group leader.
func (t *Thread) sysSetsid() int32 {
	tableMu.Lock()
	defer tableMu.Unlock()
	p := t.P
	if p.pgid == p.Pid || groupSession(p.Pid) != 0 {
		return -linux.EPERM
	}
	p.sid, p.pgid = p.Pid, p.Pid
	return int32(p.Pid)
}

func (t *Thread) sysGetsid(pid int32) int32 {
	p := t.lookup(pid)
	if p == nil {
		return -linux.ESRCH
	}
	tableMu.Lock()
	defer tableMu.Unlock()
	return int32(p.sid)
}

// tcgetpgrp answers TIOCGPGRP (and TIOCGSID with sid): ENOTTY unless the
// console is the caller's controlling terminal.
func (t *Thread) tcgetpgrp(sid bool) (int32, int32) {
	tableMu.Lock()
	defer tableMu.Unlock()
	if t.P.sid != console.sid {
		return 0, -linux.ENOTTY
	}
	if sid {
		return int32(console.sid), 0
	}
	return int32(console.pgrp), 0
}

// tcsetpgrp answers TIOCSPGRP: the console's foreground group becomes
// pgrp, a group of the caller's session.
func (t *Thread) tcsetpgrp(pgrp int32) int32 {
	tableMu.Lock()
	defer tableMu.Unlock()
	switch {
	case t.P.sid != console.sid:
		return -linux.ENOTTY
	case pgrp < 0:
		return -linux.EINVAL
	}
	switch sid := groupSession(int(pgrp)); {
	case sid == 0:
		return -linux.ESRCH
	case sid != t.P.sid:
		return -linux.EPERM
	}
	console.pgrp = int(pgrp)
	return 0
}

// consoleIoctl serves the terminal ioctls of the console.
func (t *Thread) consoleIoctl(req, arg uint32) int32 {
	switch req {
	case linux.TCGETS:
		term := DefaultTermios()
		if deps.ConsoleIn != nil {
			term = deps.ConsoleIn.Termios()
		}
		return errnoOr(t.P.as.CopyOut(arg, term.Bytes()), 0)
	case linux.TCSETS, linux.TCSETSW, linux.TCSETSF:
		b := make([]byte, TermiosSize)
		if err := t.P.as.CopyIn(arg, b); err != nil {
			return errno(err)
		}
		if deps.ConsoleIn != nil {
			deps.ConsoleIn.SetTermios(ParseTermios(b), req == linux.TCSETSF)
		}
		return 0
	case linux.TIOCGWINSZ:
		ws := []byte{24, 0, 80, 0, 0, 0, 0, 0}
		return errnoOr(t.P.as.CopyOut(arg, ws), 0)
	case linux.TIOCGPGRP, linux.TIOCGSID:
		v, e := t.tcgetpgrp(req == linux.TIOCGSID)
		if e != 0 {
			return e
		}
		return errnoOr(t.P.as.CopyOut(arg, le32(uint32(v))), 0)
	case linux.TIOCSPGRP:
		var b [4]byte
		if err := t.P.as.CopyIn(arg, b[:]); err != nil {
			return errno(err)
		}
		return t.tcsetpgrp(int32(le(b[:])))
	}
	return -linux.ENOTTY
}
