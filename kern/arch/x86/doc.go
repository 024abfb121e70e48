// Package x86 holds the kernel's i386 assembly: the ELF entry point and,
// later, GDT/IDT/TSS, trap entry and exit, context switch and port I/O.
//
// The entry point is kentry (entry_386.s), linked with
// -E gojos/kern/arch/x86.kentry. The boot loader enters it in 32-bit
// protected mode with paging on (4 MiB pages, physical [0, 1 GiB) mapped at
// virtual 0 and at 0xC0000000), interrupts off, EAX = bootinfo.Magic,
// EBX = physical address of the bootinfo.Info, ESP = 0xC0007BF8 with
// [ESP+4] = EBX. docs/boot.md has the full contract.
//
// On other architectures the package is empty, so host builds of ./... work.
package x86
