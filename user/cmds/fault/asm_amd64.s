#include "textflag.h"

// func ud2()
TEXT ·ud2(SB), NOSPLIT, $0-0
	BYTE $0x0F; BYTE $0x0B // UD2
	RET

// func divide(a, b uint32) uint32
TEXT ·divide(SB), NOSPLIT, $0-12
	MOVL a+0(FP), AX
	MOVL b+4(FP), CX
	XORL DX, DX
	DIVL CX // #DE when b is 0
	MOVL AX, ret+8(FP)
	RET
