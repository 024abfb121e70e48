// Package kabi is the kernel's binary interface to C modules: the bridges
// between Go and cdecl C code, the module stack, and the export table (the
// KABI) of functions C code may call.
//
// C code never runs on a goroutine stack and the Go runtime never sees it:
// a bridge saves the Go stack pointer, disables interrupts (ring 1 may: its
// IOPL is 1), switches to the module stack, calls the C function and switches
// back. With interrupts off on the one CPU, no other thread can enter C code
// and no signal can interrupt it, so one module stack suffices; SMP would need
// one per CPU. KABI functions called from C are entered through assembly stubs
// that keep the cdecl callee-saved registers and call nosplit Go code that
// touches nothing of the runtime (kprintf prints straight to the UART, polled).
//
// Faults are contained (guard.go): a CPU exception or a system call while
// C code runs — in module text, in a KABI function it called, or on a wild
// pc — unwinds to the bridge that entered C, which returns to its Go caller
// (Call returns a *FaultError; a patched function's caller gets zero
// results). The module stack has an inaccessible guard page below it, so a
// runaway recursion faults too. What is not contained: C code that loops
// forever with interrupts off hangs the CPU, and C code that writes over
// kernel data without faulting corrupts it (module code runs in ring 1 with
// the kernel's Go code; only the kernel's text and read-only data are
// write-protected).
package kabi
