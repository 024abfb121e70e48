// Kernel ELF entry point. Register state from the loader (docs/boot.md):
// protected mode, paging on ([0, 1 GiB) mapped at 0 and at KernBase), IF=0,
// EAX = boot magic, EBX = physical address of the boot-info.
//
// kentry switches to the boot stack, enables the FPU and SSE (the Go runtime
// uses SSE2), loads the kernel's GDT with the trap tier's TLS in GS, and
// calls bootHandler (the trap tier's boot code), which returns the first
// TrapFrame to resume: the Go runtime's entry point in ring 1.

#include "textflag.h"
#include "go_asm.h"

TEXT ·kentry(SB), NOSPLIT|NOFRAME, $0
	CLI
	MOVL $·bootStack+const_BootStackSize(SB), SP
	MOVL $0, BP
	CMPL AX, $const_bootMagic
	JEQ  2(PC)
	MOVL $0, BX                  // bad magic: bootHandler reports it
	PUSHL BX                     // keep the boot-info address

	// FPU and SSE: CR0.EM=0, CR0.MP=1, CR0.NE=1; CR4.OSFXSR, OSXMMEXCPT.
	MOVL CR0, AX
	ANDL $~(1<<2), AX
	ORL  $((1<<1)|(1<<5)), AX
	MOVL AX, CR0
	MOVL CR4, AX
	ORL  $((1<<9)|(1<<10)), AX
	MOVL AX, CR4
	BYTE $0xDB; BYTE $0xE3       // FNINIT

	CALL ·setupGDT(SB)
	MOVL $·gdtr(SB), AX
	LGDT 0(AX)
	MOVW $const_SelKData, AX
	MOVW AX, DS
	MOVW AX, ES
	MOVW AX, SS
	MOVW $0, AX
	MOVW AX, FS
	MOVW $const_SelTrapGS, AX
	MOVW AX, GS
	// CS keeps selector 0x08, the same flat ring-0 code segment as the
	// loader's; the first IRET reloads it anyway.

	POPL BX
	SUBL $8, SP
	MOVL BX, 0(SP)
	CALL ·bootHandler(SB)
	MOVL 4(SP), AX
	MOVL AX, 0(SP)
	CALL ·resume(SB)             // never returns
