#include "textflag.h"
#include "go_asm.h"

// func CallC(fn uintptr) uint32: call the C function fn (int fn(void)) on
// the module stack with interrupts off; return its EAX.
TEXT ·CallC(SB), NOSPLIT, $0-8
	MOVL fn+0(FP), AX
	PUSHFL
	CLI
	MOVL SP, SI                  // C preserves ESI (cdecl callee-saved)
	MOVL $·modStack+const_ModStackSize(SB), SP
	CALL AX
	MOVL SI, SP
	POPFL
	MOVL AX, ret+4(FP)
	RET

// patchBridge is where a generated stub jumps with the C function in AX
// when a Go function of type func() int32 has been patched to C: the stack
// is the Go function's at entry (return address, then the result slot).
TEXT ·patchBridge(SB), NOSPLIT|NOFRAME, $0
	PUSHFL
	CLI
	MOVL SP, SI
	MOVL $·modStack+const_ModStackSize(SB), SP
	CALL AX
	MOVL SI, SP
	POPFL
	MOVL AX, 4(SP)               // the Go caller's result slot
	RET

// kprintfEntry is what C calls as kprintf(fmt, ...): cdecl in, nosplit Go
// inside, callee-saved registers kept.
TEXT ·kprintfEntry(SB), NOSPLIT|NOFRAME, $0
	PUSHL BX
	PUSHL SI
	PUSHL DI
	PUSHL BP
	MOVL 20(SP), AX              // fmt (4 saved registers + return address)
	LEAL 24(SP), BX              // the variadic arguments
	SUBL $12, SP
	MOVL AX, 0(SP)
	MOVL BX, 4(SP)
	CALL ·kprintfGo(SB)
	MOVL 8(SP), AX
	ADDL $12, SP
	POPL BP
	POPL DI
	POPL SI
	POPL BX
	RET

// func patchBridgeAddr() uintptr
TEXT ·patchBridgeAddr(SB), NOSPLIT, $0-4
	MOVL $·patchBridge(SB), AX
	MOVL AX, ret+0(FP)
	RET

// func kprintfAddr() uintptr
TEXT ·kprintfAddr(SB), NOSPLIT, $0-4
	MOVL $·kprintfEntry(SB), AX
	MOVL AX, ret+0(FP)
	RET
