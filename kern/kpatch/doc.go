// Package kpatch is live kernel patching: it redirects a running kernel
// function to another function — of the kernel or of a loaded C module — by
// writing a 5-byte jump over its entry, and undoes it exactly.
//
// The planning (decoding the entry with x86asm, checking whole instructions,
// computing the jump, the patch stacks) is the pure package kpatch/plan; this
// package resolves names and addresses with the kernel's symbol table,
// checks signatures, writes the bytes through the trap tier
// (SYS_gojos_textpoke: write protection lifted for the copy only, interrupts
// off), builds the Go→C bridge stubs for module replacements, and serves the
// user tools (kcall, kpatch, ksyms) through SYS_gojos_ctl.
//
// Signatures: a kernel function may be called or patched only if it is
// declared here (Register) with the type func() int32 — the only type kcall
// can call and the bridge can return through. Module functions are, by the
// module ABI (modules/include/gojos/module.h), int f(void).
package kpatch

import "fmt"

// The seed scenario's test functions. They must never be inlined, or their
// callers would keep the old body.

//go:noinline
func kpatch_test1() int32 {
	fmt.Println("kpatch_test1 called")
	return 1
}

//go:noinline
func kpatch_test2() int32 {
	fmt.Println("kpatch_test2 called")
	return 2
}

// Quiet functions for benchmarks and stress runs (kbench, kstress): patch,
// unpatch and call them in loops without printing.

//go:noinline
func kpatch_bench_a() int32 { return 10 }

//go:noinline
func kpatch_bench_b() int32 { return 20 }

//go:noinline
func kpatch_bench_c() int32 { return 30 }

//go:noinline
func kpatch_bench_d() int32 { return 40 }
