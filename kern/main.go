// Command kern is the gojos kernel: an ordinary GOOS=linux GOARCH=386 Go
// program whose ELF entry point is the assembly in kern/arch/x86 instead of
// the runtime's _rt0_386_linux.
//
// Link (see docs/boot.md):
//
//	GOOS=linux GOARCH=386 CGO_ENABLED=0 go build \
//	    -ldflags='-T 0xC0101000 -E gojos/kern/arch/x86.kentry' ./kern
//
// -T puts .text at 0xC0101000, so the first PT_LOAD (ELF and program headers
// plus .text) starts at 0xC0100000, physical 1 MiB. -E names the entry symbol;
// the linker keeps it alive through dead-code elimination.
//
// In this first stage the runtime is not started: kentry prints a banner,
// checks the boot-info and exits QEMU. main is not reached yet.
package main

import _ "gojos/kern/arch/x86" // the ELF entry point, kentry

func main() {}
