package proc

import (
	"fmt"
	"strings"
	"sync/atomic"
)

// guard runs one system call's handler. A Go panic in it is a kernel bug:
// bug is told (it reports it and ends the calling process) and guard
// returns (0, true), "the thread ends", so the kernel keeps serving every
// other process. This is a safety net, not error handling: every panic it
// catches is a bug to fix in the handler.
func guard(call func() (int32, bool), bug func(v any)) (ret int32, exit bool) {
	defer func() {
		if v := recover(); v != nil {
			kernelBugs.Add(1)
			bug(v)
			ret, exit = 0, true
		}
	}()
	return call()
}

// kernelBugs counts the panics guard has caught since boot; /proc/kbugs
// shows it, so tests and the fuzzer can tell a process killed by a kernel
// bug from one killed by its own fault.
var kernelBugs atomic.Int64

// KernelBugs returns how many kernel bugs guard has caught since boot.
func KernelBugs() int64 { return kernelBugs.Load() }

// callString formats a system call for messages: its name and arguments in
// hexadecimal, at least three, trailing zeros after those left out.
func callString(name string, a [6]uint32) string {
	var b strings.Builder
	b.WriteString(name)
	b.WriteByte('(')
	n := 6
	for n > 3 && a[n-1] == 0 {
		n--
	}
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%#x", a[i])
	}
	b.WriteByte(')')
	return b.String()
}
