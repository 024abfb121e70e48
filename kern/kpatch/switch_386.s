#include "textflag.h"

// func pokeAll(ops *pokeOp, n uint32) int32 (switch_386.go): ops are
// {addr, new, old} words; each write is 5 bytes (plan.JumpLen).
TEXT ·pokeAll(SB), NOSPLIT, $0-12
	MOVL ops+0(FP), SI
	MOVL n+4(FP), DI
	PUSHFL
	CLI
	// A first trap with interrupts off: a reschedule or signal that was
	// pending is served now, before any write; afterwards no tick can
	// arrive, and this thread keeps the CPU until POPFL.
	MOVL $20, AX                  // getpid
	INT $0x80
	XORL BP, BP
pokeLoop:
	CMPL BP, DI
	JAE pokeOK
	LEAL (BP)(BP*2), DX
	MOVL 0(SI)(DX*4), BX          // addr
	MOVL 4(SI)(DX*4), CX          // new bytes
	MOVL $5, DX
	MOVL $0x1004, AX              // SYS_gojos_textpoke
	INT $0x80
	CMPL AX, $5
	JNE pokeFail
	INCL BP
	JMP pokeLoop
pokeFail:
	MOVL BP, DI                   // the failed write
pokeUndo:
	TESTL BP, BP
	JEQ pokeEnd
	DECL BP
	LEAL (BP)(BP*2), DX
	MOVL 0(SI)(DX*4), BX
	MOVL 8(SI)(DX*4), CX          // old bytes
	MOVL $5, DX
	MOVL $0x1004, AX
	INT $0x80
	JMP pokeUndo
pokeOK:
	MOVL $-1, DI
pokeEnd:
	POPFL
	MOVL DI, ret+8(FP)
	RET
