// Package elfbuild makes the function table (package functab) of a
// linux/386 Go kernel from its ELF file: the symbols, the runtime's
// pclntab, DWARF (signatures, inlining) and the entry code (stack checks).
// It runs on the host, in tools/mkfunctab and the tests, and so keeps
// debug/elf and debug/dwarf out of the kernel, which only decodes tables.
// It also computes and stamps the kernel's image hash (ImageHash, Stamp).
package elfbuild

// regSize is the register and pointer size of 386.
const regSize = 4
