// Package functab is the kernel's function table: every function in the
// kernel's text with its entry, size, Go signature (from DWARF), 386 ABI0
// argument frame, prologue and inlining facts, built at build time from the
// kernel ELF by tools/mkfunctab and read by the kernel with Decode.
//
// It is pure Go and builds for the host and for linux/386. Encode and Decode
// are the compact binary form (Decode is strict and fuzzed: any bad input is
// an error, never a panic); Table.ByName and Table.ByAddr look functions up.
// Making a table from an ELF (debug/elf, debug/dwarf, the .gopclntab and the
// first instructions of each function) is package elfbuild's, on the host:
// the kernel does not link the ELF and DWARF readers.
//
// Rules (docs/design.md, "Function table"):
//
//   - Functions are the STT_FUNC symbols of size > 0 in executable sections,
//     named as in .symtab (the names ksym uses), sorted by entry.
//   - A signature is known (FlagSig) for Go functions with a DWARF
//     DW_TAG_subprogram; assembly functions have none in DWARF. Parameters are
//     the DW_TAG_formal_parameter children in order, the receiver first;
//     those with DW_AT_variable_parameter are the results. A shape
//     instantiation of a generic function (FlagGeneric) gets its hidden
//     dictionary word as a first parameter ".dict uintptr", which DWARF omits.
//   - Types are written as the compiler names them in DWARF: full package
//     paths, []uint8 rather than []byte, go.shape.* types in shape functions.
//   - The hash is FNV-1a 64 of the types-only signature (TypeSignature).
//   - The argument frame follows Go's ABI0 stack rules: each parameter at the
//     next offset aligned for its type, results from an offset rounded up to
//     the register size, the total rounded up to the register size. On 386
//     nothing is aligned to more than 4 except structs holding an atomic
//     align64 marker (8). Where the pclntab's _func.args is known and
//     differs, the DWARF signature is dropped (FlagBadDWARF).
//   - Inlining comes from DW_TAG_inlined_subroutine entries and abstract
//     subprograms: a lower bound, since a call whose inlined body was folded
//     away entirely leaves no trace.
package functab
