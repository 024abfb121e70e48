// Package proc runs user processes: static linux/386 ELF programs in ring 3,
// each in its own address space, served through the Linux i386 system call
// ABI by ordinary Go code in the kernel.
//
// Each user thread is a goroutine looping "run user code until it traps
// (SYS_gojos_runuser) → handle the trap": system calls, page faults (demand
// paging of mmap'd memory) and faults that kill the process. A timer tick
// also returns to the loop, so a user busy loop never stalls the kernel.
// User memory is reached through the kernel's direct map of physical
// memory, after checking every user pointer against the process's mappings:
// a bad pointer is -EFAULT and never touches kernel memory.
package proc
