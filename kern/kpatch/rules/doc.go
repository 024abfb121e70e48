// Package rules decides, from the kernel's function table (kern/functab)
// and a function's first bytes, whether kpatch may patch a function,
// whether a function may replace another, and whether kcall may call it.
// It is pure Go: the kernel applies it to its own memory, and
// tools/mkfunctab -stats to the kernel ELF at build time, so both count the
// same way.
//
// A patch target is refused, by the first rule that applies, in this order
// (Rule):
//
//	too short     its entry does not hold whole instructions covering the
//	              5-byte jump inside the function (kern/kpatch/plan, x86asm);
//	              or (checked after the rules below) the jump would span
//	              more than one instruction, which never happens with a Go
//	              stack-check prologue (MOVL GS:0, CX is 7 bytes)
//	assembly      no Go signature; its own calling convention
//	nosplit       no stack check at the entry: it runs where the stack
//	              must not grow (the runtime's nosplit paths, the trap tier)
//	closure       a function literal, method value or go/defer/range-loop
//	              wrapper: it takes its context in DX
//	generic       a shape instantiation: it takes a hidden dictionary
//	trap tier     code of the ring-0 trap tier or of the Go↔C bridges
//	              (Deny, by package)
//	patcher       code the patcher itself runs to resolve, plan and write a
//	              patch, and its locks and system calls (by package)
//	runtime core  the runtime's scheduler, stacks, signals, locks,
//	              allocator and write barriers (by runtime source file)
//	no signature  DWARF's parameters did not match the frame
//	inlined       the compiler copied it into callers, which keep the old
//	              code; kpatch -f overrides this rule only
//
// A replacement must pass the same rules except the first and the last
// (it is jumped to, not patched), and have the target's signature: the same
// types in the same order (functab.Func.TypeSignature), hence on 386, where
// ABI0 passes everything on the stack, the same frame.
//
// kcall may call a function that passes the replacement rules and whose
// parameters are integers, bools, uintptr or strings (Callable).
package rules
