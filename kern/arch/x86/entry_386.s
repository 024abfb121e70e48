// Kernel ELF entry point. Register state from the loader (docs/boot.md):
// protected mode, paging on, IF=0, EAX = boot magic, EBX = bootinfo
// (physical), ESP in the loader stack (high alias).
//
// For now: print a banner and a summary of the bootinfo on COM1, then exit
// QEMU through isa-debug-exit (0 on success, 3 on a bad hand-over). The next
// step grows this into: own stack, GDT/IDT, Linux initial stack, then
// JMP _rt0_386_linux.

#include "textflag.h"
#include "go_asm.h"

// PUTS prints the Go string variable s.
#define PUTS(s) MOVL s(SB), SI; MOVL s+4(SB), CX; CALL puts<>(SB)

TEXT ·kentry(SB), NOSPLIT|NOFRAME, $0
	CLI
	MOVL AX, BP                  // boot magic
	ADDL $const_kernBase, BX     // BX = bootinfo via the high mapping
	CALL uartinit<>(SB)
	PUTS(·banner)
	CMPL BP, $const_bootMagic
	JNE  bad
	CMPL const_biMagic(BX), $const_bootMagic
	JNE  bad
	CMPL const_biVersion(BX), $const_bootVersion
	JNE  bad
	CMPL const_biSize(BX), $const_bootSize
	JNE  bad
	PUTS(·msgOK)
	MOVL const_biMemUsableKiB(BX), AX
	SHRL $10, AX
	CALL putdec<>(SB)
	PUTS(·msgMiB)
	MOVL const_biInitrdSize(BX), AX
	CALL putdec<>(SB)
	PUTS(·msgBytes)
	MOVL const_biSymtabSize(BX), AX
	SHRL $4, AX                  // 16-byte Elf32_Sym entries
	CALL putdec<>(SB)
	PUTS(·msgSyms)
	LEAL const_biCmdline(BX), SI
	MOVL $const_cmdlineSize, CX
	CALL putsz<>(SB)
	PUTS(·msgDone)
	MOVL $0, AX
	JMP  exit<>(SB)

bad:
	PUTS(·msgBad)
	MOVL $3, AX
	JMP  exit<>(SB)

// uartinit: COM1 115200 8N1, FIFO on. Clobbers AX, DX.
TEXT uartinit<>(SB), NOSPLIT|NOFRAME, $0
	MOVW $(const_com1+1), DX
	MOVB $0x00, AL               // no interrupts
	OUTB
	MOVW $(const_com1+3), DX
	MOVB $0x80, AL               // DLAB
	OUTB
	MOVW $(const_com1+0), DX
	MOVB $0x01, AL               // divisor 1
	OUTB
	MOVW $(const_com1+1), DX
	MOVB $0x00, AL
	OUTB
	MOVW $(const_com1+3), DX
	MOVB $0x03, AL               // 8N1
	OUTB
	MOVW $(const_com1+2), DX
	MOVB $0xC7, AL               // FIFO on, cleared
	OUTB
	MOVW $(const_com1+4), DX
	MOVB $0x03, AL               // DTR, RTS
	OUTB
	RET

// rawputc writes AL to COM1 once THR is empty. Clobbers AX, DX.
TEXT rawputc<>(SB), NOSPLIT|NOFRAME, $0
	MOVB AL, AH
	MOVW $(const_com1+5), DX
wait:
	INB                          // LSR; a missing UART reads 0xFF
	TESTB $0x20, AL
	JZ   wait
	MOVB AH, AL
	MOVW $const_com1, DX
	OUTB
	RET

// putc writes AL, turning '\n' into "\r\n". Clobbers AX, DX.
TEXT putc<>(SB), NOSPLIT|NOFRAME, $0
	CMPB AL, $10
	JNE  raw
	MOVB $13, AL
	CALL rawputc<>(SB)
	MOVB $10, AL
raw:
	CALL rawputc<>(SB)
	RET

// puts writes CX bytes at SI. Clobbers AX, CX, DX, SI.
TEXT puts<>(SB), NOSPLIT|NOFRAME, $0
loop:
	TESTL CX, CX
	JZ   done
	MOVB (SI), AL
	CALL putc<>(SB)
	INCL SI
	DECL CX
	JMP  loop
done:
	RET

// putsz writes the NUL-terminated string at SI, at most CX bytes.
// Clobbers AX, CX, DX, SI.
TEXT putsz<>(SB), NOSPLIT|NOFRAME, $0
loop:
	TESTL CX, CX
	JZ   done
	MOVB (SI), AL
	TESTB AL, AL
	JZ   done
	CALL putc<>(SB)
	INCL SI
	DECL CX
	JMP  loop
done:
	RET

// putdec writes AX in decimal. Clobbers AX, CX, DX, SI, DI.
TEXT putdec<>(SB), NOSPLIT|NOFRAME, $0
	MOVL $numbuf<>+12(SB), DI
	MOVL $10, CX
loop:
	DECL DI
	XORL DX, DX
	DIVL CX
	ADDL $48, DX                 // '0'
	MOVB DL, (DI)
	TESTL AX, AX
	JNZ  loop
	MOVL DI, SI
	MOVL $numbuf<>+12(SB), CX
	SUBL DI, CX
	CALL puts<>(SB)
	RET

// exit writes AX to QEMU's isa-debug-exit port (host status (AX<<1)|1) and
// halts if the device is absent.
TEXT exit<>(SB), NOSPLIT|NOFRAME, $0
	MOVW $const_debugExit, DX
	OUTL
hang:
	CLI
	HLT
	JMP  hang

GLOBL numbuf<>(SB), NOPTR, $12
