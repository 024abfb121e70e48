// Package x86 is the bottom of the kernel: the i386 assembly and the CPU
// tables. It holds the ELF entry point (kentry), the GDT, IDT and TSS, the
// trap stubs and trap exit (the context switch is returning another thread's
// TrapFrame), port I/O and the privileged instructions.
//
// Privilege levels (docs/design.md): the trap tier runs in ring 0 on
// per-thread ring-0 stacks; the kernel's ordinary Go code, including the Go
// runtime, runs in ring 1 (IOPL 1); user processes run in ring 3. Every trap
// from ring 1 or 3 therefore lands on a ring-0 stack, never on a Go stack.
//
// The entry point is linked with -E gojos/kern/arch/x86.kentry. The boot
// loader enters it in 32-bit protected mode with paging on (4 MiB pages,
// physical [0, 1 GiB) mapped at virtual 0 and at 0xC0000000), interrupts
// off, EAX = bootinfo.Magic, EBX = physical address of the bootinfo.Info.
// docs/boot.md has the full contract.
//
// Only the descriptor encoding and the TrapFrame layout build on other
// architectures (so host tests of ./... work).
package x86
