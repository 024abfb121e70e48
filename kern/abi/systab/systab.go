// Package systab is the shape both tiers of the kernel answer Linux system
// calls with: a table of Syscall entries, sorted by number, that is at once
// the dispatcher (Fn), the record of what is supported (Status, Note) and
// the source of docs/syscalls.md (tools/mksyscalls). kern/shim's table
// answers the kernel's own Go runtime, kern/proc's answers user processes;
// both use the family file names sys_file, sys_mm, sys_signal, sys_time,
// sys_thread, ... for their handlers.
//
// The package is pure and allocation-free (the trap tier calls Find with
// interrupts off), and builds on the host for tests.
package systab

// Status says how much of a system call a tier implements.
type Status uint8

const (
	// Implemented: real semantics, possibly restricted as the note says.
	Implemented Status = iota + 1
	// Harmless: a fixed result the callers tolerate (0, or a constant).
	Harmless
	// NotSupported: -ENOSYS, quietly (the caller copes).
	NotSupported
)

func (s Status) String() string {
	switch s {
	case Implemented:
		return "implemented"
	case Harmless:
		return "harmless"
	case NotSupported:
		return "ENOSYS"
	}
	return "?"
}

// Syscall is one system call of a tier's table; F is the tier's handler type.
type Syscall[F any] struct {
	Nr     uint32
	Name   string
	Status Status
	Note   string
	Fn     F
}

// Find returns the index of nr in the table t (sorted by Nr), or -1.
func Find[F any](t []Syscall[F], nr uint32) int {
	lo, hi := 0, len(t)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch {
		case t[m].Nr == nr:
			return m
		case t[m].Nr < nr:
			lo = m + 1
		default:
			hi = m
		}
	}
	return -1
}

// Index maps every number to its entry's index in t (sorted by Nr), -1
// for numbers t lacks: Find by one load, for the dispatcher. Its length is
// t's largest number plus one; t must have fewer than 32768 entries.
func Index[F any](t []Syscall[F]) []int16 {
	if len(t) == 0 {
		return nil
	}
	x := make([]int16, t[len(t)-1].Nr+1)
	for i := range x {
		x[i] = -1
	}
	for i, e := range t {
		x[e.Nr] = int16(i)
	}
	return x
}

// Name returns the name of nr in t, or "?".
func Name[F any](t []Syscall[F], nr uint32) string {
	if i := Find(t, nr); i >= 0 {
		return t[i].Name
	}
	return "?"
}

// Info is a table entry without its handler: what docs and tests read.
type Info struct {
	Nr     uint32
	Name   string
	Status Status
	Note   string
}

// Infos returns the entries of t without their handlers.
func Infos[F any](t []Syscall[F]) []Info {
	out := make([]Info, len(t))
	for i, s := range t {
		out[i] = Info{s.Nr, s.Name, s.Status, s.Note}
	}
	return out
}

// Check returns the problems of a table: entries out of order or listed
// twice, empty names, unknown statuses, missing handlers (hasFn reports
// whether an entry has one).
func Check[F any](t []Syscall[F], hasFn func(F) bool) []string {
	var bad []string
	for i, s := range t {
		if i > 0 && t[i-1].Nr >= s.Nr {
			bad = append(bad, "not sorted or listed twice: "+t[i-1].Name+", "+s.Name)
		}
		if s.Name == "" || s.Status < Implemented || s.Status > NotSupported {
			bad = append(bad, "bad entry: "+s.Name)
		}
		if !hasFn(s.Fn) {
			bad = append(bad, "no handler: "+s.Name)
		}
	}
	return bad
}
