package proc

import (
	"gojos/kern/abi/linux"
	"gojos/kern/abi/signal"
)

// Linux i386 signal delivery to user programs: a handler runs on the
// thread's stack (or its sigaltstack, with SA_ONSTACK) with an rt_sigframe
// holding siginfo, the interrupted registers (uc_mcontext), the FPU/SSE
// state and the old mask; rt_sigreturn restores them. So a nil dereference
// in a Go program is the program's own recoverable panic, and the runtime's
// async preemption (SIGURG through tgkill) works. A fault with no handler, or
// a frame that cannot be written, kills the process.

func sigbit(sig int) uint64 { return signal.Bit(sig) }

// deliver sets up the handler of sig; false if there is none (or the frame
// cannot be written).
func (t *Thread) deliver(sig int, code int32, addr uint32) bool {
	act := t.P.sig.forDelivery(sig)
	if act.Handler <= linux.SIG_IGN {
		return false
	}
	r := &t.uc.Regs
	f, fp := signal.Frame(r[linux.RegESP], act.Flags, t.alt)
	mc := signal.Context{r[linux.RegGS], r[linux.RegFS], r[linux.RegES], r[linux.RegDS],
		r[linux.RegEDI], r[linux.RegESI], r[linux.RegEBP], r[linux.RegESP],
		r[linux.RegEBX], r[linux.RegEDX], r[linux.RegECX], r[linux.RegEAX],
		t.uc.Trapno, t.uc.Err, r[linux.RegEIP], r[linux.RegCS], r[linux.RegEFLAGS],
		r[linux.RegESP], r[linux.RegSS], fp, uint32(t.sigmask), t.uc.CR2}
	var frame [linux.SigframeSize]byte
	signal.Build(frame[:], f, signal.Info{Sig: sig, Code: code, Addr: addr}, act.Restorer, t.alt, &mc, t.sigmask)
	if t.P.as.CopyOut(fp, t.uc.Fx[:]) != nil || t.P.as.CopyOut(f, frame[:]) != nil {
		return false
	}
	t.sigmask = signal.AfterDelivery(t.sigmask, sig, act)
	r[linux.RegESP], r[linux.RegEIP], r[linux.RegEAX], r[linux.RegEDX], r[linux.RegECX] = signal.HandlerEntry(f, sig, act.Handler)
	r[linux.RegEFLAGS] &^= signal.EntryFlagsClear
	return true
}

// deliverPending delivers signals sent to the thread (tgkill, kill) before
// it returns to user code; false if one of them ended the process.
func (t *Thread) deliverPending() bool {
	for {
		ready := t.pending.Load() &^ t.sigmask
		if ready == 0 {
			return true
		}
		sig := signal.Next(ready)
		t.pending.And(^sigbit(sig))
		if t.deliver(sig, linux.SI_TKILL, 0) {
			continue
		}
		switch t.P.sig.action(sig) {
		case linux.SIG_IGN:
			continue
		case linux.SIG_DFL:
			if signal.DefaultIgnored(sig) {
				continue
			}
		}
		t.P.exit(sig)
		return false
	}
}

// sysRtSigreturn restores what deliver saved; the frame starts 4 bytes below
// ESP (the handler's RET popped the return address).
func (t *Thread) sysRtSigreturn() bool {
	r := &t.uc.Regs
	f := r[linux.RegESP] - 4
	var frame [linux.SigframeSize]byte
	if t.P.as.CopyIn(f, frame[:]) != nil {
		t.P.kill(linux.SIGSEGV, r[linux.RegEIP], f)
		return false
	}
	mc, mask := signal.Read(frame[:])
	r[linux.RegGS], r[linux.RegFS] = mc[linux.ScGS]&0xFFFF, mc[linux.ScFS]&0xFFFF
	r[linux.RegEDI], r[linux.RegESI] = mc[linux.ScEDI], mc[linux.ScESI]
	r[linux.RegEBP], r[linux.RegESP] = mc[linux.ScEBP], mc[linux.ScESP]
	r[linux.RegEBX], r[linux.RegEDX] = mc[linux.ScEBX], mc[linux.ScEDX]
	r[linux.RegECX], r[linux.RegEAX] = mc[linux.ScECX], mc[linux.ScEAX]
	// The kernel re-imposes safe flags and ring-3 segments on the way in.
	r[linux.RegEIP], r[linux.RegEFLAGS] = mc[linux.ScEIP], mc[linux.ScEflags]
	if fp := mc[linux.ScFpstate]; fp != 0 {
		var fx [linux.FPStateSize]byte
		if t.P.as.CopyIn(fp, fx[:]) == nil {
			t.uc.Fx = fx
		}
	}
	t.sigmask = mask
	return true
}

func (t *Thread) sysRtSigaction(sig int, act, old, size uint32) int32 {
	if size != linux.SigsetSize {
		return -linux.EINVAL
	}
	// The Go runtime makes some 130 of these calls at every start (each
	// signal's action read, then set), so each takes the lock once and
	// copies the action only where it must.
	var b [linux.SigactionSize]byte
	if act != 0 {
		if err := t.P.as.CopyIn(act, b[:]); err != nil {
			return errno(err)
		}
	}
	if sig < 1 || sig > linux.NSIG {
		return -linux.EINVAL
	}
	if old != 0 {
		// Linux checks the old pointer before changing anything.
		var ob [linux.SigactionSize]byte
		t.P.sig.get(sig).Put(ob[:])
		if err := t.P.as.CopyOut(old, ob[:]); err != nil {
			return errno(err)
		}
	}
	if act != 0 {
		if e := t.P.sig.install(sig, signal.GetAction(b[:])); e != 0 {
			return e.Neg()
		}
	}
	return 0
}

func (t *Thread) sysRtSigprocmask(how, set, old, size uint32) int32 {
	if size != linux.SigsetSize {
		return -linux.EINVAL
	}
	var b [linux.SigsetSize]byte
	if old != 0 {
		signal.PutMask(b[:], t.sigmask)
		if err := t.P.as.CopyOut(old, b[:]); err != nil {
			return errno(err)
		}
	}
	if set == 0 {
		return 0
	}
	if err := t.P.as.CopyIn(set, b[:]); err != nil {
		return errno(err)
	}
	m, e := signal.Mask(t.sigmask, how, signal.GetMask(b[:]))
	if e != 0 {
		return e.Neg()
	}
	t.sigmask = m
	return 0
}

func (t *Thread) sysSigaltstack(ss, old uint32) int32 {
	sp := t.uc.Regs[linux.RegESP]
	var b [linux.StackTSize]byte
	if old != 0 {
		t.alt.Report(sp).Put(b[:])
		if err := t.P.as.CopyOut(old, b[:]); err != nil {
			return errno(err)
		}
	}
	if ss == 0 {
		return 0
	}
	if err := t.P.as.CopyIn(ss, b[:]); err != nil {
		return errno(err)
	}
	if t.alt.On(sp) {
		return -linux.EPERM
	}
	st, e := signal.Change(signal.GetStack(b[:]))
	if e != 0 {
		return e.Neg()
	}
	t.alt = st
	return 0
}

// sysTgkill queues sig for thread tid of this process.
func (t *Thread) sysTgkill(tid int32, sig uint32) int32 {
	if !signal.Valid(sig) {
		return -linux.EINVAL
	}
	t.P.mu.Lock()
	target := t.P.threads[int(tid)]
	t.P.mu.Unlock()
	if target == nil {
		return -linux.ESRCH
	}
	if sig != 0 {
		target.queueSignal(int(sig))
	}
	return 0
}

// sysRtSigreturnCall is rt_sigreturn as a table entry: a frame that cannot
// be read has killed the process, and the thread ends.
func (t *Thread) sysRtSigreturnCall() int32 {
	if !t.sysRtSigreturn() {
		t.exitNow = true
		return -1
	}
	return 0
}

// sysKill sends sig as Linux's kill(2): to process pid (pid > 0), to
// every process of the caller's process group (0), of group -pid (< -1),
// or to every process but init and the caller (-1). EINVAL for a signal
// number outside 0..64 (sig is unsigned in the ABI), ESRCH when no
// process matches, EPERM when it matches only other users' processes
// (Cred.MaySignal), and signal 0 only checks that one exists. init (the
// process the kernel started) gets only the signals it has handlers for.
func (t *Thread) sysKill(pid int32, sig uint32) int32 {
	if !signal.Valid(sig) {
		return -linux.EINVAL
	}
	var targets []*Process
	switch {
	case pid > 0:
		tableMu.Lock()
		if p := procs[int(pid)]; p != nil {
			targets = append(targets, p)
		}
		tableMu.Unlock()
	case pid == 0:
		targets = groupMembers(t.P.pgrp())
	case pid == -1:
		tableMu.Lock()
		for _, p := range procs {
			if !p.isInit && p != t.P {
				targets = append(targets, p)
			}
		}
		tableMu.Unlock()
	case pid != -1<<31:
		targets = groupMembers(int(-pid))
	}
	if len(targets) == 0 {
		return -linux.ESRCH
	}
	allowed := targets[:0]
	c := t.P.Cred()
	for _, target := range targets {
		if tc := target.Cred(); target == t.P || c.MaySignal(&tc) {
			allowed = append(allowed, target)
		}
	}
	if len(allowed) == 0 {
		return -linux.EPERM // only other users' processes
	}
	if sig == 0 {
		return 0
	}
	for _, target := range allowed {
		target.signal(int(sig), target.isInit && target != t.P)
	}
	return 0
}

// signal delivers sig to the process: its handler runs on one of its
// threads, or the default action applies (ignore, or end the process).
// With protected (init) a default action is ignored.
func (target *Process) signal(sig int, protected bool) int32 {
	a := target.sig.action(sig)
	if a == linux.SIG_IGN || (a == linux.SIG_DFL && signal.DefaultIgnored(sig)) {
		return 0
	}
	if protected && (a == linux.SIG_DFL || sig == linux.SIGKILL) {
		return 0
	}
	if target.sig.action(sig) > linux.SIG_IGN && sig != linux.SIGKILL {
		target.mu.Lock()
		var th *Thread
		for _, x := range target.threads {
			if th == nil || x.Tid < th.Tid {
				th = x
			}
		}
		target.mu.Unlock()
		if th != nil {
			th.queueSignal(sig) // its handler runs when it next returns to user code
			return 0
		}
	}
	target.exit(sig)
	return 0
}
