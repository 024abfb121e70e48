// Package selftest exercises the Go runtime as hosted by the gojos kernel:
// goroutines and channels, a large heap with garbage collection, timers, a
// recovered nil-pointer panic (SIGSEGV delivery), preemption of a call-free
// loop (SIGURG delivery), encoding/json and crypto/sha256, and a mutex
// storm, and the clocks (the vDSO against the system call). Each case prints one PASS or FAIL line with its reason.
//
// It is ordinary Go: it also runs on the host (go test), which keeps the
// cases honest.
package selftest

import (
	"fmt"
	"io"
	"time"
)

// Case is one self-test case.
type Case struct {
	Name string
	Run  func() error
}

// Cases is the suite, in the order it runs.
var Cases = []Case{
	{"goroutines", goroutines},
	{"heap-gc", heapGC},
	{"timers", timers},
	{"nil-panic", nilPanic},
	{"preempt", preempt},
	{"json-sha256", jsonSHA},
	{"mutex-storm", mutexStorm},
	{"clocks", clocks},
	{"fpu", fpu},
}

// Run runs every case, printing a line per case and a summary line
// "selftest: N passed, M failed", and returns the counts.
func Run(out io.Writer) (passed, failed int) {
	for _, c := range Cases {
		start := time.Now()
		err := runCase(c)
		d := time.Since(start).Round(time.Millisecond)
		if err != nil {
			failed++
			fmt.Fprintf(out, "selftest: %-12s FAIL (%v): %v\n", c.Name, d, err)
			continue
		}
		passed++
		fmt.Fprintf(out, "selftest: %-12s PASS (%v)\n", c.Name, d)
	}
	fmt.Fprintf(out, "selftest: %d passed, %d failed\n", passed, failed)
	return passed, failed
}

// runCase turns a panic inside a case into a failure of that case.
func runCase(c Case) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return c.Run()
}
