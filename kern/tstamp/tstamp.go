// Package tstamp records a timeline of the kernel's work with the TSC, for
// benchmarks: named points of the boot (Mark) and every user system call's
// entry and exit (Syscall). It is off unless the kernel command line has the
// word "tstamp"; /proc/tstamp then prints the timeline (Format), which
// //tests:bench_vs_seed turns into the per-phase breakdowns of the boot and
// of one command. Recording costs two TSC reads and two atomic adds per
// system call; when off, one load of a bool.
package tstamp

import (
	"fmt"
	"io"
	"sync/atomic"
)

// Kinds of record.
const (
	Enter = 'E' // a system call entered (Nr, Pid, Tid)
	Exit  = 'X' // a system call returned (Nr, Ret)
	Point = 'M' // a named point (Name)
)

// PageFault is the number a user page fault is recorded under, as if it
// were a system call (above every real one; the value is the address).
const PageFault = 0x10000

// Record is one timestamped event.
type Record struct {
	TSC  uint64
	Pid  int32
	Tid  int32
	Nr   uint32
	Ret  int32 // the return value (Exit) or the first argument (Enter)
	Kind byte
	Name string // Point only
}

// Log is a fixed-capacity timeline: records past the capacity are counted
// and dropped, so that recording never allocates.
type Log struct {
	On      bool
	Clock   func() uint64 // the TSC
	recs    []Record
	n       atomic.Uint32
	dropped atomic.Uint32
}

// NewLog returns a Log with room for capacity records, reading clock.
func NewLog(capacity int, clock func() uint64) *Log {
	return &Log{Clock: clock, recs: make([]Record, capacity)}
}

func (l *Log) add(r Record) {
	i := l.n.Add(1) - 1
	if int(i) >= len(l.recs) {
		l.n.Add(^uint32(0))
		l.dropped.Add(1)
		return
	}
	r.TSC = l.Clock()
	l.recs[i] = r
}

// Mark records the named point now.
func (l *Log) Mark(name string) {
	if l != nil && l.On {
		l.add(Record{Kind: Point, Name: name})
	}
}

// MarkAt records the named point with a TSC reading taken earlier (by the
// trap tier, before the log could record).
func (l *Log) MarkAt(name string, tsc uint64) {
	if l == nil || !l.On {
		return
	}
	i := l.n.Add(1) - 1
	if int(i) >= len(l.recs) {
		l.n.Add(^uint32(0))
		l.dropped.Add(1)
		return
	}
	l.recs[i] = Record{TSC: tsc, Kind: Point, Name: name}
}

// Syscall records a system call's entry (exit false; ret is then its first
// argument) or return.
func (l *Log) Syscall(pid, tid int, nr uint32, ret int32, exit bool) {
	if l == nil || !l.On {
		return
	}
	k := byte(Enter)
	if exit {
		k = Exit
	}
	l.add(Record{Kind: k, Pid: int32(pid), Tid: int32(tid), Nr: nr, Ret: ret})
}

// Records returns a copy of the records so far, in the order they were
// added (a record being written concurrently may read as zero).
func (l *Log) Records() []Record {
	n := int(l.n.Load())
	if n > len(l.recs) {
		n = len(l.recs)
	}
	return append([]Record(nil), l.recs[:n]...)
}

// Format writes the timeline, one record a line, times in nanoseconds since
// the TSC was zero (power-on) at hz ticks a second:
//
//	# tstamp hz=H records=N dropped=D
//	T M - - name
//	T E pid tid nr arg0
//	T X pid tid nr ret
func (l *Log) Format(w io.Writer, hz uint64) error {
	recs := l.Records()
	if _, err := fmt.Fprintf(w, "# tstamp hz=%d records=%d dropped=%d\n", hz, len(recs), l.dropped.Load()); err != nil {
		return err
	}
	for _, r := range recs {
		t := Nanos(r.TSC, hz)
		var err error
		switch r.Kind {
		case Point:
			_, err = fmt.Fprintf(w, "%d M - - %s\n", t, r.Name)
		case Enter:
			_, err = fmt.Fprintf(w, "%d E %d %d %d %d\n", t, r.Pid, r.Tid, r.Nr, r.Ret)
		case Exit:
			_, err = fmt.Fprintf(w, "%d X %d %d %d %d\n", t, r.Pid, r.Tid, r.Nr, r.Ret)
		default:
			continue // not yet written
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Nanos converts a TSC reading at hz ticks a second to nanoseconds, without
// overflowing for any reading below 2^64.
func Nanos(tsc, hz uint64) uint64 {
	if hz == 0 {
		return 0
	}
	return tsc/hz*1e9 + tsc%hz*1e9/hz
}

// Start makes room for capacity records, sets the clock and turns the log
// on (the room is only taken then: a kernel without "tstamp" pays nothing).
func (l *Log) Start(capacity int, clock func() uint64) {
	l.recs = make([]Record, capacity)
	l.Clock = clock
	l.On = true
}

// Kernel is the kernel's timeline (kern/kmain starts it).
var Kernel = &Log{}
