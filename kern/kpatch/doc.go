// Package kpatch is live kernel patching: it redirects a running kernel
// function to another function — of the kernel or of a loaded C module — by
// writing a 5-byte jump over its entry, undoes it exactly, and calls kernel
// and module functions for kcall.
//
// What may be patched, replace, or be called is decided from the kernel's
// function table (kern/functab: signatures, frames, prologues, inlining),
// shipped in the initrd at /boot/functab and loaded, verified against the
// running kernel (its image hash and the runtime's own function table) at
// the first request that needs it (table_386.go). The rules are the pure
// package kpatch/rules; the planning (x86asm decoding, jumps, patch
// stacks) the pure package kpatch/plan.
//
//   - A Go replacement must have the target's signature (the same types in
//     the same order: on 386 ABI0 passes everything on the stack, so the
//     same frame).
//   - A C replacement must have a prototype (KPATCH_PROTO, or int f(void))
//     whose types map to the target's (kabi/cproto); the target then jumps
//     to a stub that runs kabi's Go→C bridge with a per-signature
//     descriptor (kabi/bridge_386.go).
//   - kcall calls a Go function with arguments parsed from words through
//     reflect's call trampoline (kcall_386.go), a C function through
//     kabi.CallArgs.
//
// The bytes are written through the trap tier (SYS_gojos_textpoke: write
// protection lifted for the copy only, interrupts off). The user tools
// (kcall, kpatch, ksyms) reach it through SYS_gojos_ctl (Ctl).
package kpatch
