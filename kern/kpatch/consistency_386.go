package kpatch

import (
	"fmt"
	"runtime"
	"syscall"
	"time"
)

// The consistency check of a livepatch switch: no goroutine may be
// executing inside a function of the set or have one of them as a return
// address on its stack. The runtime's own traceback of all goroutines
// (runtime.Stack, which stops the world) is read: every kernel goroutine,
// and so every user thread's kernel side (each user thread is a goroutine,
// in its system call or trap handler) and every kernel thread's current
// goroutine (a thread parked in the trap tier runs runtime code, never a
// patchable function, or a goroutine the traceback shows). The goroutine
// asking for the switch is left out: it is in the patcher, returning into a
// system call it entered before the switch.
//
// A busy set is retried every retryEvery for up to retryFor; then the
// switch fails with EBUSY naming the goroutine and the function.

const (
	retryEvery = 50 * time.Millisecond
	retryFor   = time.Second
)

// busyError is a failed consistency check.
type busyError struct {
	what  string // "goroutine 23 [sleep] is in gojos/kern/kdemo.Nap (livepatch.go:21)"
	tries int
}

func (e *busyError) Error() string {
	return fmt.Sprintf("%s, a function of the switch; tried %d times in %v: %v", e.what, e.tries, retryFor, syscall.EBUSY)
}

func (e *busyError) Unwrap() error { return syscall.EBUSY }

// checkQuiet waits until no goroutine is in a function named in set, for a
// bounded time; it returns the number of checks made, or a *busyError.
func checkQuiet(set map[string]bool) (int, error) {
	deadline := time.Now().Add(retryFor)
	for tries := 1; ; tries++ {
		what := busyIn(set)
		if what == "" {
			return tries, nil
		}
		if time.Now().After(deadline) {
			return tries, &busyError{what: what, tries: tries}
		}
		time.Sleep(retryEvery)
	}
}

// busyIn describes the first goroutine (other than the caller) with a
// frame of a function in set, or returns "".
func busyIn(set map[string]bool) string {
	return scanStacks(allStacks(), set)
}

func allStacks() string {
	buf := make([]byte, 64<<10)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) || len(buf) >= 8<<20 {
			return string(buf[:n])
		}
		buf = make([]byte, 2*len(buf))
	}
}
