package proc

import (
	"encoding/binary"

	"gojos/kern/abi/linux"
	"gojos/kern/mm"
)

// Resource limits, as Linux keeps them per process: getrlimit, setrlimit,
// ugetrlimit and prlimit64. Inherited by children (vfork, clone) and kept
// across execve. Enforced: RLIMIT_AS (every mapping, PROT_NONE
// reservations included) and RLIMIT_DATA (private writable mappings) by
// mmap2. RLIMIT_NOFILE reports the descriptor table's fixed size (MaxFDs)
// and may not be raised above it; a lowered soft limit is stored but the
// table does not enforce it yet. The others are stored and reported only.

// rlimInfinity is "no limit" in the kernel's own (64-bit) form.
const rlimInfinity = linux.RLIM64_INFINITY

// Rlimit is one soft/hard limit pair.
type Rlimit struct{ Cur, Max uint64 }

// defaultRlimits are init's limits.
func defaultRlimits() [linux.RLIM_NLIMITS]Rlimit {
	var r [linux.RLIM_NLIMITS]Rlimit
	for i := range r {
		r[i] = Rlimit{rlimInfinity, rlimInfinity}
	}
	r[linux.RLIMIT_STACK] = Rlimit{StackSize, rlimInfinity}
	r[linux.RLIMIT_NOFILE] = Rlimit{MaxFDs, MaxFDs}
	r[linux.RLIMIT_CORE] = Rlimit{0, rlimInfinity}
	return r
}

// checkLimits says whether mapping n more bytes with prot keeps the
// address space within its limits (0) or not (ENOMEM). The caller holds
// as.mu.
func (as *AddressSpace) checkLimits(n, prot uint32) int32 {
	pages := func(s uint8) uint64 { return uint64(as.vm.Pages(s)) * page }
	size := uint64(n+page-1) &^ (page - 1)
	total := pages(mm.StateReserved) + pages(mm.StateCommitted) + pages(mm.StateCommittedRO)
	if total+size > as.limitAS {
		return linux.ENOMEM
	}
	if prot&linux.PROT_WRITE != 0 && pages(mm.StateCommitted)+size > as.limitData {
		return linux.ENOMEM
	}
	return 0
}

// applyLimits gives the address space the process's memory limits.
func (as *AddressSpace) applyLimits(r *[linux.RLIM_NLIMITS]Rlimit) {
	as.mu.Lock()
	as.limitAS, as.limitData = r[linux.RLIMIT_AS].Cur, r[linux.RLIMIT_DATA].Cur
	as.mu.Unlock()
}

// getRlimit returns the process's limit res; ok is false for a bad res.
func (p *Process) getRlimit(res uint32) (Rlimit, bool) {
	if res >= linux.RLIM_NLIMITS {
		return Rlimit{}, false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rlim[res], true
}

// setRlimit changes limit res with Linux's rules: the soft limit at most
// the hard one, and only raising the hard limit needs privilege (every
// process is privileged until gojos has users).
func (p *Process) setRlimit(res uint32, r Rlimit, priv bool) int32 {
	if res >= linux.RLIM_NLIMITS {
		return -linux.EINVAL
	}
	if r.Cur > r.Max {
		return -linux.EINVAL
	}
	if res == linux.RLIMIT_NOFILE && r.Max > MaxFDs {
		return -linux.EPERM // Linux: above fs.nr_open
	}
	p.mu.Lock()
	if r.Max > p.rlim[res].Max && !priv {
		p.mu.Unlock()
		return -linux.EPERM // raising a hard limit needs root
	}
	p.rlim[res] = r
	as := p.as
	lim := p.rlim
	p.mu.Unlock()
	if as != nil && (res == linux.RLIMIT_AS || res == linux.RLIMIT_DATA) {
		as.applyLimits(&lim)
	}
	return 0
}

// to32 converts a limit to the 32-bit struct rlimit's form (ugetrlimit).
func to32(v uint64) uint32 {
	if v >= uint64(linux.RLIM_INFINITY) {
		return linux.RLIM_INFINITY
	}
	return uint32(v)
}

func from32(v uint32) uint64 {
	if v == linux.RLIM_INFINITY {
		return rlimInfinity
	}
	return uint64(v)
}

// sysGetrlimit serves ugetrlimit (old=false) and the old getrlimit, whose
// infinity is 0x7fffffff.
func (t *Thread) sysGetrlimit(res, addr uint32, old bool) int32 {
	r, ok := t.P.getRlimit(res)
	if !ok {
		return -linux.EINVAL
	}
	cur, max := to32(r.Cur), to32(r.Max)
	if old {
		cur, max = min(cur, linux.OldRLIM_INFINITY), min(max, linux.OldRLIM_INFINITY)
	}
	var b [8]byte
	binary.LittleEndian.PutUint32(b[0:], cur)
	binary.LittleEndian.PutUint32(b[4:], max)
	return errno(t.P.as.CopyOut(addr, b[:]))
}

func (t *Thread) sysSetrlimit(res, addr uint32) int32 {
	var b [8]byte
	if err := t.P.as.CopyIn(addr, b[:]); err != nil {
		return errno(err)
	}
	return t.P.setRlimit(res, Rlimit{from32(binary.LittleEndian.Uint32(b[0:])), from32(binary.LittleEndian.Uint32(b[4:]))}, t.P.privileged())
}

// sysPrlimit64: prlimit64(pid, res, new, old), 64-bit limits; pid 0 or
// the caller's own, or another process whose IDs are all the caller's
// (Linux's rule; root may reach any).
func (t *Thread) sysPrlimit64(pid int32, res, newAddr, oldAddr uint32) int32 {
	p := t.P
	if pid != 0 && int(pid) != p.Pid {
		tableMu.Lock()
		p = procs[int(pid)]
		tableMu.Unlock()
		if p == nil {
			return -linux.ESRCH
		}
		if c, tc := t.P.Cred(), p.Cred(); !c.MayPrlimit(&tc) {
			return -linux.EPERM
		}
	}
	r, ok := p.getRlimit(res)
	if !ok {
		return -linux.EINVAL
	}
	if newAddr != 0 {
		var b [16]byte
		if err := t.P.as.CopyIn(newAddr, b[:]); err != nil {
			return errno(err)
		}
		if e := p.setRlimit(res, Rlimit{binary.LittleEndian.Uint64(b[0:]), binary.LittleEndian.Uint64(b[8:])}, t.P.privileged()); e != 0 {
			return e
		}
	}
	if oldAddr != 0 {
		var b [16]byte
		binary.LittleEndian.PutUint64(b[0:], r.Cur)
		binary.LittleEndian.PutUint64(b[8:], r.Max)
		return errno(t.P.as.CopyOut(oldAddr, b[:]))
	}
	return 0
}
