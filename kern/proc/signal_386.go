package proc

import (
	"encoding/binary"
	"syscall"

	"gojos/kern/abi/linux"
)

// Linux i386 signal delivery to user programs: a handler runs on the
// thread's stack (or its sigaltstack, with SA_ONSTACK) with an rt_sigframe
// holding siginfo, the interrupted registers (uc_mcontext), the FPU/SSE
// state and the old mask; rt_sigreturn restores them. So a nil dereference
// in a Go program is the program's own recoverable panic, and the runtime's
// async preemption (SIGURG through tgkill) works. A fault with no handler, or
// a frame that cannot be written, kills the process.

func sigbit(sig int) uint64 { return 1 << uint(sig-1) }

// Names for the shared rt_sigframe layout (kern/abi/linux/sigframe.go).
const (
	sfSize     = linux.SigframeSize
	sfInfo     = linux.SigframeInfo
	sfUc       = linux.SigframeUc
	ucStack    = linux.UcStack
	ucMctx     = linux.UcMcontext
	ucSigmask  = linux.UcSigmask
	fpAreaSize = linux.FPStateSize
	unblock    = linux.SigUnblockable
)

func (t *Thread) onAltStack(sp uint32) bool {
	return t.altFlags&linux.SS_DISABLE == 0 && t.altSize != 0 && sp > t.altSP && sp <= t.altSP+t.altSize
}

// deliver sets up the handler of sig; false if there is none (or the frame
// cannot be written).
func (t *Thread) deliver(sig int, code int32, addr uint32) bool {
	s := &t.P.sig
	s.mu.Lock()
	act := s.actions[sig]
	if act[0] > linux.SIG_IGN && act[1]&linux.SA_RESETHAND != 0 {
		s.actions[sig][0] = linux.SIG_DFL
	}
	s.mu.Unlock()
	handler, flags, restorer := act[0], act[1], act[2]
	mask := uint64(act[3]) | uint64(act[4])<<32
	if handler <= linux.SIG_IGN {
		return false
	}
	r := &t.uc.Regs
	sp := r[linux.RegESP]
	if flags&linux.SA_ONSTACK != 0 && t.altFlags&linux.SS_DISABLE == 0 && t.altSize != 0 && !t.onAltStack(sp) {
		sp = t.altSP + t.altSize
	}
	fp := (sp - fpAreaSize) &^ 63
	f := ((fp - sfSize) &^ 15) - 4 // ESP+4 16-byte aligned at handler entry
	frame := make([]byte, sfSize)
	put := func(off int, v uint32) { binary.LittleEndian.PutUint32(frame[off:], v) }
	put(0, restorer)
	put(4, uint32(sig))
	put(8, f+sfInfo)
	put(12, f+sfUc)
	put(sfInfo, uint32(sig))
	put(sfInfo+8, uint32(code))
	put(sfInfo+12, addr)
	put(sfUc+ucStack, t.altSP)
	put(sfUc+ucStack+4, t.altFlags)
	put(sfUc+ucStack+8, t.altSize)
	mc := []uint32{r[linux.RegGS], r[linux.RegFS], r[linux.RegES], r[linux.RegDS],
		r[linux.RegEDI], r[linux.RegESI], r[linux.RegEBP], r[linux.RegESP],
		r[linux.RegEBX], r[linux.RegEDX], r[linux.RegECX], r[linux.RegEAX],
		t.uc.Trapno, t.uc.Err, r[linux.RegEIP], r[linux.RegCS], r[linux.RegEFLAGS],
		r[linux.RegESP], r[linux.RegSS], fp, uint32(t.sigmask), t.uc.CR2}
	for i, v := range mc {
		put(sfUc+ucMctx+4*i, v)
	}
	put(sfUc+ucSigmask, uint32(t.sigmask))
	put(sfUc+ucSigmask+4, uint32(t.sigmask>>32))
	if t.P.as.CopyOut(fp, t.uc.Fx[:]) != nil || t.P.as.CopyOut(f, frame) != nil {
		return false
	}
	if flags&linux.SA_NODEFER == 0 {
		t.sigmask |= sigbit(sig)
	}
	t.sigmask |= mask &^ unblock
	r[linux.RegESP] = f
	r[linux.RegEIP] = handler
	r[linux.RegEAX] = uint32(sig)
	r[linux.RegEDX] = f + sfInfo
	r[linux.RegECX] = f + sfUc
	r[linux.RegEFLAGS] &^= 1<<8 | 1<<10 // TF, DF
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
		sig := 1
		for ready&1 == 0 {
			ready >>= 1
			sig++
		}
		t.pending.And(^sigbit(sig))
		if t.deliver(sig, -6 /* SI_TKILL */, 0) {
			continue
		}
		switch t.P.sig.action(sig) {
		case linux.SIG_IGN:
			continue
		case linux.SIG_DFL:
			if defaultIgnored(sig) {
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
	frame := make([]byte, sfSize)
	if t.P.as.CopyIn(f, frame) != nil {
		t.P.kill(linux.SIGSEGV, r[linux.RegEIP], f)
		return false
	}
	get := func(off int) uint32 { return binary.LittleEndian.Uint32(frame[off:]) }
	mc := func(i int) uint32 { return get(sfUc + ucMctx + 4*i) }
	r[linux.RegGS], r[linux.RegFS] = mc(linux.ScGS)&0xFFFF, mc(linux.ScFS)&0xFFFF
	r[linux.RegEDI], r[linux.RegESI] = mc(linux.ScEDI), mc(linux.ScESI)
	r[linux.RegEBP], r[linux.RegESP] = mc(linux.ScEBP), mc(linux.ScESP)
	r[linux.RegEBX], r[linux.RegEDX] = mc(linux.ScEBX), mc(linux.ScEDX)
	r[linux.RegECX], r[linux.RegEAX] = mc(linux.ScECX), mc(linux.ScEAX)
	// The kernel re-imposes safe flags and ring-3 segments on the way in.
	r[linux.RegEIP], r[linux.RegEFLAGS] = mc(linux.ScEIP), mc(linux.ScEflags)
	if fp := mc(linux.ScFpstate); fp != 0 {
		var fx [fpAreaSize]byte
		if t.P.as.CopyIn(fp, fx[:]) == nil {
			t.uc.Fx = fx
		}
	}
	t.sigmask = (uint64(get(sfUc+ucSigmask)) | uint64(get(sfUc+ucSigmask+4))<<32) &^ unblock
	return true
}

func (t *Thread) sysRtSigprocmask(how, set, old, size uint32) int32 {
	if size != 8 {
		return -int32(syscall.EINVAL)
	}
	if old != 0 {
		if err := t.P.as.CopyOut(old, append(le32(uint32(t.sigmask)), le32(uint32(t.sigmask>>32))...)); err != nil {
			return errno(err)
		}
	}
	if set == 0 {
		return 0
	}
	var b [8]byte
	if err := t.P.as.CopyIn(set, b[:]); err != nil {
		return errno(err)
	}
	m := binary.LittleEndian.Uint64(b[:])
	switch how {
	case linux.SIG_BLOCK:
		t.sigmask |= m
	case linux.SIG_UNBLK:
		t.sigmask &^= m
	case linux.SIG_SETMK:
		t.sigmask = m
	default:
		return -int32(syscall.EINVAL)
	}
	t.sigmask &^= unblock
	return 0
}

func (t *Thread) sysSigaltstack(ss, old uint32) int32 {
	if old != 0 {
		flags := t.altFlags
		if t.altSize == 0 {
			flags = linux.SS_DISABLE
		}
		if t.onAltStack(t.uc.Regs[linux.RegESP]) {
			flags |= linux.SS_ONSTACK
		}
		b := append(append(le32(t.altSP), le32(flags)...), le32(t.altSize)...)
		if err := t.P.as.CopyOut(old, b); err != nil {
			return errno(err)
		}
	}
	if ss == 0 {
		return 0
	}
	var b [12]byte
	if err := t.P.as.CopyIn(ss, b[:]); err != nil {
		return errno(err)
	}
	if t.onAltStack(t.uc.Regs[linux.RegESP]) {
		return -int32(syscall.EPERM)
	}
	sp, flags, size := le(b[:]), le(b[4:]), le(b[8:])
	if flags&linux.SS_DISABLE != 0 {
		t.altSP, t.altSize, t.altFlags = 0, 0, linux.SS_DISABLE
		return 0
	}
	if size < 2048 {
		return -int32(syscall.ENOMEM)
	}
	t.altSP, t.altSize, t.altFlags = sp, size, 0
	return 0
}

// sysTgkill queues sig for thread tid of this process.
func (t *Thread) sysTgkill(tid int32, sig uint32) int32 {
	if !validSignal(sig) {
		return -int32(syscall.EINVAL)
	}
	t.P.mu.Lock()
	target := t.P.threads[int(tid)]
	t.P.mu.Unlock()
	if target == nil {
		return -int32(syscall.ESRCH)
	}
	if sig != 0 {
		target.queueSignal(int(sig))
	}
	return 0
}
