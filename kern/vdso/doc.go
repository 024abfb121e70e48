// Package vdso builds gojos's virtual dynamic shared object: a two-page
// image the kernel maps into the Go runtime's address space and into every
// user process, so that clock_gettime is a function call instead of a trap.
//
// Page 0 is a minimal ELF32 shared object exporting one function,
// __vdso_clock_gettime (version LINUX_2.6, the name and version Go's
// linux/386 runtime looks up through AT_SYSINFO_EHDR). Page 1, right after
// it, is the data page the kernel writes (Data): a sequence counter and the
// conversion from TSC ticks to nanoseconds. The code finds the data page
// relative to its own address (call/pop), so the image works wherever it is
// mapped, and reads the TSC with RDTSC. Clocks it does not serve, and a data
// page that is not valid yet, fall back to the real system call, so the
// answer is always the kernel's.
//
// Build writes the image into a page without allocating: the trap tier
// calls it before the Go runtime exists.
package vdso
