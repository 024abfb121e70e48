// Package livepatch is the patch table of a livepatch module and the checks
// that decide whether it fits a kernel: pure Go, shared by the build
// (tools/mklivepatch, run by the gojos_livepatch rule) and the kernel
// (kern/kpatch, when the module is loaded), so both refuse the same
// patches with the same words.
//
// A livepatch module is an ordinary signed .ko whose section
// ".gojos.livepatch" (read from the file, never loaded, like .modinfo)
// holds the table (Encode, Decode): the kernel build it was made for (the
// function table's image hash, kern/functab), whether it replaces every
// earlier livepatch module (atomic replace), and per patched function the
// target's full name, the hash of the target's Go signature, the C
// replacement's symbol and flags (FlagForce: the target is inlined
// somewhere and patched anyway).
//
// Check validates one entry against a function table: the target exists,
// the kpatch rules allow it (kern/kpatch/rules; inlining only with
// FlagForce), its signature hash is the one recorded, and the C
// replacement's declared prototype maps onto the Go signature
// (kern/kabi/cproto).
package livepatch
