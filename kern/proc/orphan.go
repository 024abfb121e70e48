package proc

// Orphans. When a process ends, its children, running or already zombies,
// become init's (Linux's rule without subreapers): init's wait4 reaps them,
// and getppid and /proc/PID/status then say 1. Without a running init (the
// kernel is between two), an orphan has no parent and leaves the process
// table by itself when it ends, so no zombie is left that nobody can reap.
//
// The order of the steps makes a concurrent exit safe without a lock
// around both: the new parent lists the child before the child's parent
// pointer names it, and the child's zombie flag is read after that, so a
// child that ended meanwhile is announced to the new parent by the child
// itself (it read the new pointer) or by the hand-off (it read the old one,
// after setting its flag).

// initProc is the running init, the process that adopts orphans
// (guarded by tableMu).
var initProc *Process

// setInit records p, started by the kernel, as the adopter of orphans.
func setInit(p *Process) {
	tableMu.Lock()
	initProc = p
	tableMu.Unlock()
}

// reaper returns the init that adopts p's orphans: nil when there is none
// running, or when p is init itself.
func reaper(p *Process) *Process {
	tableMu.Lock()
	r := initProc
	tableMu.Unlock()
	if r == nil || r == p || r.exiting.Load() {
		return nil
	}
	return r
}

// adopt lists c among p's children; false if p has handed off its
// children already (it has ended).
func (p *Process) adopt(c *Process) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.children == nil {
		return false
	}
	p.children[c.Pid] = c
	return true
}

// handOffChildren gives the children of p, which has ended, to init.
func (p *Process) handOffChildren() {
	p.mu.Lock()
	kids := p.children
	p.children = nil
	p.mu.Unlock()
	if len(kids) == 0 {
		return
	}
	r := reaper(p)
	for _, c := range kids {
		if r == nil || !r.adopt(c) {
			c.orphan()
			continue
		}
		c.parent.Store(r)
		if c.isZombie() {
			r.childExited()
		}
	}
}

// orphan leaves c without a parent: it is removed from the process table
// when it ends (now, if it has ended already).
func (c *Process) orphan() {
	c.parent.Store(nil)
	if c.isZombie() {
		unregister(c)
	}
}

func (p *Process) isZombie() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.zombie
}

// unregister removes p from the process table (it has been reaped, or
// nobody will reap it). Pids are not reused, so removing it twice is
// harmless.
func unregister(p *Process) {
	tableMu.Lock()
	delete(procs, p.Pid)
	tableMu.Unlock()
}
