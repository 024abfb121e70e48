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
//
// A killed process gives its frames back only when its last thread has
// left (exitThread destroys the address space). Until then it is the
// victim in progress: a fault that finds no frame in that window waits for
// it instead of choosing another victim, and a thread of a process that is
// already exiting never chooses one. Without that rule one allocation storm
// could end two processes: the allocator's victim, and whoever faulted
// next while the victim's threads were still leaving.

// oomWait bounds how long a fault waits for a victim's memory.
const oomWait = 2 * time.Second

// oomAttempts is how many victims (or waits for one) a fault tries before
// its own process is killed.
const oomAttempts = 3

// outOfMemory handles a page fault at va that found no free frame; false
// ends the thread (its process was killed).
func (t *Thread) outOfMemory(va uint32, write bool) bool {
	for attempt := 0; attempt < oomAttempts; attempt++ {
		if t.P.isExiting() {
			return false
		}
		v, dying := oomVictim()
		if v == t.P && dying {
			return false // killed since the check above
		}
		if v == nil || v == t.P {
			break
		}
		if !dying {
			v.oomKill()
		}
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
	if !t.P.isExiting() {
		t.P.oomKill()
	}
	return false
}

// oomCandidate is what victim selection knows of one process.
type oomCandidate struct {
	p        *Process
	pid      int
	resident int  // frames of its own (0 for a vfork child sharing its parent's)
	exiting  bool // exit has begun
	released bool // its address space is gone (a zombie, or never had one)
}

// pickOOMVictim chooses from a snapshot of the process table. A process
// that is exiting but still holds frames is returned with dying set: its
// memory is on the way back, so the caller waits for it. Otherwise the
// live process with the most frames is returned, init (pid 1) excepted;
// nil when no process holds any.
func pickOOMVictim(cs []oomCandidate) (v *Process, dying bool) {
	var best, bestDying *Process
	bestN, bestDyingN := 0, 0
	for _, c := range cs {
		if c.released || c.resident == 0 {
			continue
		}
		if c.exiting {
			if c.resident > bestDyingN {
				bestDying, bestDyingN = c.p, c.resident
			}
			continue
		}
		if c.pid == 1 {
			continue
		}
		if c.resident > bestN {
			best, bestN = c.p, c.resident
		}
	}
	if bestDying != nil {
		return bestDying, true
	}
	return best, false
}

// oomVictim picks a victim from the live process table (pickOOMVictim).
func oomVictim() (*Process, bool) {
	ps := processes()
	cs := make([]oomCandidate, 0, len(ps))
	for _, p := range ps {
		c := oomCandidate{p: p, pid: p.Pid}
		p.mu.Lock()
		c.exiting = p.exited
		c.released = p.zombie || p.as == nil
		if !c.released && !p.sharesAS {
			c.resident = p.as.Resident()
		}
		p.mu.Unlock()
		cs = append(cs, c)
	}
	return pickOOMVictim(cs)
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
	ps := processes()
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

// processes is a snapshot of the process table.
func processes() []*Process {
	tableMu.Lock()
	defer tableMu.Unlock()
	ps := make([]*Process, 0, len(procs))
	for _, p := range procs {
		ps = append(ps, p)
	}
	return ps
}
