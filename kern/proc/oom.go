package proc

import (
	"errors"
	"time"

	"gojos/kern/abi/linux"
	"gojos/kern/klog"
)

// The OOM killer. User memory comes from the trap tier's frame allocator,
// which refuses user frames once only the kernel's reserve is left (the
// kernel's own heap keeps growing into it), so a process that allocates
// without bound cannot take the kernel down. When a user page fault finds
// no frame, the largest process (by resident frames; init, pid 1, is
// spared) is killed with SIGKILL and one line on the console, as Linux's
// OOM killer does, and the fault is retried once its memory is free. If the
// faulting process is itself the largest, it is the one killed.

// oomWait bounds how long a fault waits for a victim's memory.
const oomWait = 2 * time.Second

// outOfMemory handles a page fault at va that found no free frame; false
// ends the thread (its process was killed).
func (t *Thread) outOfMemory(va uint32, write bool) bool {
	for attempt := 0; attempt < 3; attempt++ {
		v := oomVictim()
		if v == nil || v == t.P {
			break
		}
		v.oomKill()
		select {
		case <-v.dead:
		case <-time.After(oomWait):
		}
		if t.P.isExiting() {
			return false
		}
		err := t.P.as.Fault(va, write)
		if err == nil {
			return true
		}
		if !errors.Is(err, linux.Errno(linux.ENOMEM)) {
			return t.fault(linux.SIGSEGV, linux.SEGV_MAPERR, va)
		}
	}
	t.P.oomKill()
	return false
}

// oomVictim picks the live process holding the most frames, init excepted;
// a vfork child still sharing its parent's memory holds none of its own.
func oomVictim() *Process {
	tableMu.Lock()
	ps := make([]*Process, 0, len(procs))
	for _, p := range procs {
		ps = append(ps, p)
	}
	tableMu.Unlock()
	var best *Process
	bestN := 0
	for _, p := range ps {
		p.mu.Lock()
		as, skip := p.as, p.exited || p.sharesAS || p.Pid == 1
		p.mu.Unlock()
		if skip || as == nil {
			continue
		}
		if n := as.Resident(); n > bestN {
			best, bestN = p, n
		}
	}
	return best
}

// oomKill ends p with SIGKILL and says why.
func (p *Process) oomKill() {
	kib := 0
	p.mu.Lock()
	if p.as != nil {
		kib = p.as.Resident() * page / 1024
	}
	p.mu.Unlock()
	klog.Printf(klog.Err, "gojos: out of memory: killed pid %d (%s), %d KiB resident\n", p.Pid, p.Name, kib)
	p.exit(linux.SIGKILL)
}

// UserResidentKiB returns the memory resident in user processes (their
// frames; a vfork child sharing its parent's memory counts once).
func UserResidentKiB() int {
	tableMu.Lock()
	ps := make([]*Process, 0, len(procs))
	for _, p := range procs {
		ps = append(ps, p)
	}
	tableMu.Unlock()
	n := 0
	for _, p := range ps {
		p.mu.Lock()
		if p.as != nil && !p.sharesAS {
			n += p.as.Resident()
		}
		p.mu.Unlock()
	}
	return n * page / 1024
}
