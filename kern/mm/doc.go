// Package mm holds the kernel's memory bookkeeping cores: the physical frame
// allocator (FrameAllocator) and the virtual range map behind the runtime's
// mmap2/munmap/mprotect/madvise (VMSpace). It knows nothing about page
// tables; the kernel applies the decisions made here to the MMU.
//
// # Trap-tier rules
//
// Everything in this package may run inside the kernel's trap handler: ring
// 0, interrupts off, on a small per-thread trap stack, in the middle of a
// system call made by the Go runtime. The runtime is not in a state where it
// may be re-entered, so code here must obey these rules (keep them when you
// change anything):
//
//   - Never allocate: no make/new, no append growth, no maps, no escaping
//     closures, no interfaces holding non-pointer values, no fmt, no string
//     concatenation, no errors created at run time. Errors are small integer
//     codes (positive Linux errno values from gojos/kern/abi/linux).
//   - Never store Go pointers into global or heap memory (a write barrier
//     needs a runtime M). Addresses are uintptr/uint32, items are linked by
//     integer index.
//   - Never panic in normal operation: validate every argument and return
//     false or an errno instead. No defer, no channels, no locks (one CPU,
//     interrupts off).
//   - All state lives in fixed-size arrays inside the structs (the frame
//     bitmaps are 128 KiB each and live in package-level variables; a
//     VMSpace is 5 KiB: its run arrays hold at most MaxRuns runs, and an
//     operation that needs more fails with ENOMEM, changing nothing).
//   - Every function is //go:nosplit: the trap stack is not the goroutine
//     stack the runtime's stack-bound check compares against, so a split
//     check there could call morestack. The linker verifies that nosplit
//     call chains fit the nosplit stack limit; keep helpers small.
//
// The tests check the first rule with testing.AllocsPerRun; check escapes
// with `go build -gcflags=-m ./kern/mm/`.
package mm

// Page geometry (i386, no PAE).
const (
	PageShift = 12
	PageSize  = 1 << PageShift
	pageMask  = PageSize - 1
)
