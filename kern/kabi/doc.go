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
package kabi
