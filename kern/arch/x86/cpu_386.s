// Privileged and port instructions Go cannot express. Ring 0 only, except
// the port I/O and CLI/STI, which ring 1 may use too (EFLAGS.IOPL = 1).

#include "textflag.h"

TEXT ·Inb(SB), NOSPLIT, $0-5
	MOVW port+0(FP), DX
	INB
	MOVB AL, ret+4(FP)
	RET

TEXT ·Outb(SB), NOSPLIT, $0-3
	MOVW port+0(FP), DX
	MOVB val+2(FP), AL
	OUTB
	RET

TEXT ·Inl(SB), NOSPLIT, $0-8
	MOVW port+0(FP), DX
	INL
	MOVL AX, ret+4(FP)
	RET

TEXT ·Outl(SB), NOSPLIT, $0-8
	MOVW port+0(FP), DX
	MOVL val+4(FP), AX
	OUTL
	RET

TEXT ·Cli(SB), NOSPLIT, $0-0
	CLI
	RET

TEXT ·Sti(SB), NOSPLIT, $0-0
	STI
	RET

// func StiHlt(): enable interrupts and wait for one (atomically: STI takes
// effect after HLT starts), then disable them again.
TEXT ·StiHlt(SB), NOSPLIT, $0-0
	STI
	HLT
	CLI
	RET

TEXT ·Halt(SB), NOSPLIT, $0-0
	HLT
	RET

TEXT ·Rcr0(SB), NOSPLIT, $0-4
	MOVL CR0, AX
	MOVL AX, ret+0(FP)
	RET

TEXT ·Lcr0(SB), NOSPLIT, $0-4
	MOVL v+0(FP), AX
	MOVL AX, CR0
	RET

TEXT ·Rcr2(SB), NOSPLIT, $0-4
	MOVL CR2, AX
	MOVL AX, ret+0(FP)
	RET

TEXT ·Rcr3(SB), NOSPLIT, $0-4
	MOVL CR3, AX
	MOVL AX, ret+0(FP)
	RET

TEXT ·Lcr3(SB), NOSPLIT, $0-4
	MOVL v+0(FP), AX
	MOVL AX, CR3
	RET

TEXT ·Rcr4(SB), NOSPLIT, $0-4
	MOVL CR4, AX
	MOVL AX, ret+0(FP)
	RET

TEXT ·Lcr4(SB), NOSPLIT, $0-4
	MOVL v+0(FP), AX
	MOVL AX, CR4
	RET

TEXT ·Invlpg(SB), NOSPLIT, $0-4
	MOVL va+0(FP), AX
	INVLPG (AX)
	RET

// func Lgdt(desc uintptr): desc points at the 6-byte limit/base pair.
TEXT ·Lgdt(SB), NOSPLIT, $0-4
	MOVL desc+0(FP), AX
	LGDT 0(AX)
	RET

TEXT ·Lidt(SB), NOSPLIT, $0-4
	MOVL desc+0(FP), AX
	LIDT 0(AX)
	RET

TEXT ·Ltr(SB), NOSPLIT, $0-2
	MOVW sel+0(FP), AX
	LTR AX
	RET

TEXT ·Fxsave(SB), NOSPLIT, $0-4
	MOVL area+0(FP), AX
	FXSAVE 0(AX)
	RET

TEXT ·Fxrstor(SB), NOSPLIT, $0-4
	MOVL area+0(FP), AX
	FXRSTOR 0(AX)
	RET

// func Fninit(): reset the x87 unit (the Go assembler has no FNINIT).
TEXT ·Fninit(SB), NOSPLIT, $0-0
	BYTE $0xDB; BYTE $0xE3
	RET

TEXT ·Rdtsc(SB), NOSPLIT, $0-8
	RDTSC
	MOVL AX, lo+0(FP)
	MOVL DX, hi+4(FP)
	RET

// func Cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)
TEXT ·Cpuid(SB), NOSPLIT, $0-24
	MOVL leaf+0(FP), AX
	MOVL sub+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

TEXT ·Eflags(SB), NOSPLIT, $0-4
	PUSHFL
	POPL AX
	MOVL AX, ret+0(FP)
	RET

// func Rt0() uintptr: the Go runtime's normal Linux entry point.
TEXT ·Rt0(SB), NOSPLIT, $0-4
	MOVL $_rt0_386_linux(SB), AX
	MOVL AX, ret+0(FP)
	RET

// func KernelLayout() (etext, erodata, end uintptr): linker-defined bounds
// of the kernel image's text, read-only data and everything.
TEXT ·KernelLayout(SB), NOSPLIT, $0-12
	MOVL $runtime·etext(SB), AX
	MOVL AX, etext+0(FP)
	MOVL $runtime·erodata(SB), AX
	MOVL AX, erodata+4(FP)
	MOVL $runtime·end(SB), AX
	MOVL AX, end+8(FP)
	RET
