// Package shim is the kernel's trap tier: the ring-0 code that hosts the
// unmodified Go runtime on bare metal by answering the Linux system calls it
// makes (INT $0x80 from ring 1), handling interrupts and faults, scheduling
// kernel threads (the runtime's Ms) and delivering Linux signals.
//
// Everything here runs with interrupts off on the current thread's ring-0
// stack, in the middle of some runtime operation, with GS selecting a
// stand-in g that holds only stack bounds (kern/arch/x86). So this code:
//
//   - never allocates, and never uses maps, channels, defer, interfaces,
//     fmt or anything else from the runtime;
//   - never stores a Go pointer into memory (write barriers need a runtime
//     M): it keeps addresses as uintptr/uint32 and links records by index;
//   - never panics on bad input: a bad pointer from ring 1 is -EFAULT, and a
//     bug is a fatal() that prints registers and stops QEMU;
//   - prints only through the polled UART (console.go).
//
// Its state lives in fixed-size package variables. docs/design.md describes
// the privilege levels, the memory map and the trap path; table.go lists
// every system call and its support status.
package shim
