package proc

import "gojos/kern/abi/linux"

// Interrupted waits. A thread waiting in the kernel on its process's
// behalf (console or pipe I/O, wait4, futex, sleep, epoll) stops waiting
// when a signal becomes pending for it or its process exits, as in Linux's
// interruptible sleeps: so Ctrl-C reaches a program blocked in read, and
// its handler (or the default action) runs at once.

// errRestart is what an interrupted read, write or wait4 returns inside
// the kernel (Linux's ERESTARTSYS): restarted after the handler when the
// signal's action has SA_RESTART, EINTR otherwise.
const errRestart = -512

// waitCh returns a channel that is closed when the thread must stop
// waiting — already closed if a signal is pending or the process is
// exiting. Get it before deciding to wait, so that a signal sent in
// between is not missed.
func (t *Thread) waitCh() <-chan struct{} {
	t.imu.Lock()
	if t.intr == nil {
		t.intr = make(chan struct{})
	}
	ch := t.intr
	t.imu.Unlock()
	if t.P.isExiting() || t.signalPending() {
		t.interrupt()
	}
	return ch
}

// interrupt ends the thread's current wait (a signal was queued for it,
// or its process is exiting).
func (t *Thread) interrupt() {
	t.imu.Lock()
	if t.intr != nil {
		close(t.intr)
		t.intr = nil
	}
	t.imu.Unlock()
}

// signalPending reports whether a signal the thread does not block is
// queued for it (called on the thread's own goroutine: sigmask is its).
func (t *Thread) signalPending() bool {
	return t.pending.Load()&^t.sigmask != 0
}

// queueSignal makes sig pending for t and ends its wait.
func (t *Thread) queueSignal(sig int) {
	t.pending.Or(sigbit(sig))
	t.interrupt()
}

// restart reports whether a system call that returned errRestart is
// executed again (EIP back over INT $0x80) rather than failing with EINTR:
// when the first pending signal's handler has SA_RESTART, or no handler
// runs for it (ignored; a fatal one ends the process anyway).
func (t *Thread) restart() bool {
	ready := t.pending.Load() &^ t.sigmask
	for sig := 1; sig <= linux.NSIG; sig++ {
		if ready&sigbit(sig) == 0 {
			continue
		}
		switch a := t.P.sig.action(sig); {
		case a > linux.SIG_IGN:
			return t.P.sig.flags(sig)&linux.SA_RESTART != 0
		default:
			return true
		}
	}
	return true
}

// waitErr is a wait's result once interrupted: errRestart for a signal,
// EINTR when the process is exiting (no one sees it).
func (t *Thread) waitErr() int32 {
	if t.P.isExiting() {
		return -linux.EINTR
	}
	return errRestart
}
