package kmain

import (
	"os"
	"runtime"
)

// The kernel runtime's number of Ps (GOMAXPROCS). The machine has one CPU,
// so the runtime's default would be one P. But a kernel goroutine keeps its
// P while the trap tier runs code the runtime cannot see: a user thread's
// user mode (runUser) and a blocking device read (the console pump). With
// one P, a goroutine made runnable meanwhile (a woken wait4, the reader of
// console input, the other thread of a futex) waits until the runtime's
// monitor takes the P back, and the monitor's short sleeps last a whole
// 1 ms tick here: several such waits per command. With spare Ps, the
// runtime hands the woken goroutine an idle P at once, and the trap tier's
// scheduler runs its thread at the next switch. The trap tier still runs
// one thread at a time: a P is only the runtime's permission to run Go
// code, not a CPU.
const kernelProcs = 4

// procsFor returns the GOMAXPROCS to set, or 0 to leave the runtime's: a
// GOMAXPROCS word on the kernel command line (it reaches the runtime as an
// environment variable) wins.
func procsFor(env string) int {
	if env != "" {
		return 0
	}
	return kernelProcs
}

// tuneProcs applies procsFor.
func tuneProcs() {
	if n := procsFor(os.Getenv("GOMAXPROCS")); n > 0 {
		runtime.GOMAXPROCS(n)
	}
}
