// Package module loads and unloads C kernel modules (.ko: ELF relocatable
// objects for i386). Parsing, layout and relocation are the pure package
// elfrel; this package (i386 only) gives a module memory with the right
// permissions (text read-only and executable, rodata read-only, data
// writable), resolves its undefined symbols against the KABI and earlier
// modules' exports, runs its init and exit functions through the Go→C
// bridge, and keeps the list of loaded modules with their dependencies and
// reference counts.
package module
