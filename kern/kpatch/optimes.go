package kpatch

import (
	"fmt"
	"slices"
	"sync"

	"gojos/kern/tstamp"
)

// opTimes records how long the kernel took for each successful patch or
// unpatch request: TSC ticks from Ctl's start of the request to its
// answer. "kpatch -t" reports them: the kernel side of live patching,
// without the system call, the copies and the user program a timing from
// user space includes (kbench prints both).
type opTimes struct {
	mu    sync.Mutex
	ticks []uint64
}

// maxOpTimes bounds the record between two reports; later ones are not
// kept.
const maxOpTimes = 1 << 14

var patchTimes, unpatchTimes opTimes

func (o *opTimes) add(d uint64) {
	o.mu.Lock()
	if len(o.ticks) < maxOpTimes {
		o.ticks = append(o.ticks, d)
	}
	o.mu.Unlock()
}

// take returns the line "NAME N median M min L max H ns" (nanoseconds at
// hz ticks per second; N = 0 with zeros when nothing was recorded) and
// starts a new record.
func (o *opTimes) take(name string, hz uint64) string {
	o.mu.Lock()
	t := o.ticks
	o.ticks = nil
	o.mu.Unlock()
	if len(t) == 0 || hz == 0 {
		return fmt.Sprintf("%s 0 median 0 min 0 max 0 ns\n", name)
	}
	slices.Sort(t)
	ns := func(d uint64) uint64 { return tstamp.Nanos(d, hz) }
	return fmt.Sprintf("%s %d median %d min %d max %d ns\n", name, len(t), ns(t[len(t)/2]), ns(t[0]), ns(t[len(t)-1]))
}
