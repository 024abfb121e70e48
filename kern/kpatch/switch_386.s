#include "go_asm.h"
#include "textflag.h"

// func pokeAll(ops *pokeOp, n uint32) int32 (switch_386.go): ops are
// {addr, new, old} words (pokeOp__size bytes); each write is const_pokeLen
// (plan.JumpLen) bytes.
TEXT ·pokeAll(SB), NOSPLIT, $0-12
	MOVL ops+0(FP), SI
	MOVL n+4(FP), DI
	PUSHFL
	CLI
	// A first trap with interrupts off: a reschedule or signal that was
	// pending is served now, before any write; afterwards no tick can
	// arrive, and this thread keeps the CPU until POPFL.
	MOVL $const_sysGetpid, AX
	INT $0x80
	XORL BP, BP
pokeLoop:
	CMPL BP, DI
	JAE pokeOK
	IMUL3L $pokeOp__size, BP, DX
	MOVL pokeOp_addr(SI)(DX*1), BX
	MOVL pokeOp_new(SI)(DX*1), CX
	MOVL $const_pokeLen, DX
	MOVL $const_sysTextpoke, AX
	INT $0x80
	CMPL AX, $const_pokeLen
	JNE pokeFail
	INCL BP
	JMP pokeLoop
pokeFail:
	MOVL BP, DI                   // the failed write
pokeUndo:
	TESTL BP, BP
	JEQ pokeEnd
	DECL BP
	IMUL3L $pokeOp__size, BP, DX
	MOVL pokeOp_addr(SI)(DX*1), BX
	MOVL pokeOp_old(SI)(DX*1), CX
	MOVL $const_pokeLen, DX
	MOVL $const_sysTextpoke, AX
	INT $0x80
	JMP pokeUndo
pokeOK:
	MOVL $-1, DI
pokeEnd:
	POPFL
	MOVL DI, ret+8(FP)
	RET
