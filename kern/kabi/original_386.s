#include "textflag.h"
#include "funcdata.h"
#include "go_asm.h"

// Calling the original from C (original_386.go). SP moves only by LEAL and
// MOVL here (no PUSH or POP), so that the
// assembler's accounting is not involved.
//
// The save area, on the module stack from M upwards: 0 the bridge's
// descriptor word and 4 the EFLAGS word of the goroutine's stack, 8 Kind,
// 12 Fn, 16 SavedFS, 20 SavedGS, 24 Resume, 28 SavedSP of the guard, 32 BP,
// 36 DI, 40 SI, 44 BX of C; then 48 the original stub's descriptor (pushed
// by the stub), 52 the return address into C, 56 the cdecl arguments.

// cOrig: entered from an original stub with C's call on the module stack.
TEXT ·cOrig(SB), NOSPLIT|NOFRAME, $0
	CMPL ·G+Guard_Kind(SB), $const_FaultInPatch
	JNE cOrigRefuse
	CMPL ·G+Guard_Active(SB), $0
	JEQ cOrigRefuse
	CMPL ·origDepth(SB), $const_maxOrigDepth
	JAE cOrigRefuse
	LEAL -48(SP), SP
	MOVL BX, 44(SP)
	MOVL SI, 40(SP)
	MOVL DI, 36(SP)
	MOVL BP, 32(SP)
	MOVL ·G+Guard_SavedSP(SB), AX
	MOVL AX, 28(SP)
	MOVL ·G+Guard_Resume(SB), AX
	MOVL AX, 24(SP)
	MOVL ·G+Guard_SavedGS(SB), AX
	MOVL AX, 20(SP)
	MOVL ·G+Guard_SavedFS(SB), AX
	MOVL AX, 16(SP)
	MOVL ·G+Guard_Fn(SB), AX
	MOVL AX, 12(SP)
	MOVL ·G+Guard_Kind(SB), AX
	MOVL AX, 8(SP)
	MOVL ·G+Guard_SavedSP(SB), DI // the goroutine's stack: EFLAGS, the bridge's descriptor, the return address into the Go caller
	MOVL 0(DI), AX
	MOVL AX, 4(SP)
	MOVL 4(DI), AX
	MOVL AX, 0(SP)
	MOVL SP, SI                   // M
	// Other C calls run below this one while it waits.
	INCL ·origDepth(SB)
	LEAL -const_origGap(SI), AX
	ANDL $~15, AX
	CMPL AX, ·modStackTop(SB)
	JAE cOrigTopSet
	MOVL AX, ·modStackTop(SB)
cOrigTopSet:
	// cOrigGo's frame ends at the Go caller's return address.
	LEAL (8-const_origFrame)(DI), DI
	MOVL SI, (const_origFrame-8)(DI)
	MOVL 48(SI), BX               // the original stub's descriptor
	MOVL BX, (const_origFrame-4)(DI)
	MOVL const_origSize(BX), CX
	XORL AX, AX
	XORL DX, DX
cOrigZero:
	CMPL DX, CX
	JAE cOrigZeroed
	MOVL AX, (DI)(DX*1)
	ADDL $4, DX
	JMP cOrigZero
cOrigZeroed:
	MOVL const_origN(BX), CX
	XORL DX, DX
cOrigCopy:
	CMPL DX, CX
	JAE cOrigCopied
	MOVL const_origLoads(BX)(DX*4), AX
	MOVL AX, BP
	SHRL $8, BP                   // offset in the Go frame
	ANDL $0xff, AX
	CMPL AX, $const_loadS8
	JEQ cOrigCopy8
	CMPL AX, $const_loadU8
	JEQ cOrigCopy8
	CMPL AX, $const_loadS16
	JEQ cOrigCopy16
	CMPL AX, $const_loadU16
	JEQ cOrigCopy16
	MOVL 56(SI)(DX*4), AX
	MOVL AX, (DI)(BP*1)
	JMP cOrigNext
cOrigCopy8:
	MOVL 56(SI)(DX*4), AX
	MOVB AX, (DI)(BP*1)
	JMP cOrigNext
cOrigCopy16:
	MOVL 56(SI)(DX*4), AX
	MOVW AX, (DI)(BP*1)
cOrigNext:
	INCL DX
	JMP cOrigCopy
cOrigCopied:
	// Leave C: the guard off, the Go segments back, onto the Go stack.
	MOVL $0, ·G+Guard_Active(SB)
	MOVL 20(SI), AX
	MOVW AX, GS
	MOVL 16(SI), AX
	MOVW AX, FS
	LEAL const_origFrame(DI), SP  // as if the Go caller had called cOrigGo
	JMP ·cOrigGo(SB)
cOrigRefuse:
	INCL ·OriginalRefused(SB)
	XORL AX, AX
	XORL DX, DX
	LEAL 4(SP), SP                // drop the descriptor: return to C
	RET

// cOrigGo calls the original on the goroutine's stack. Its frame: the
// original's argument frame at 0, the save area's address at origFrame-8,
// the descriptor at origFrame-4 (neither a Go pointer); above it the Go
// caller's return address, so the unwinder walks from the original through
// here to the caller.
TEXT ·cOrigGo(SB), NOSPLIT, $const_origFrame-0
	NO_LOCAL_POINTERS
	MOVL (const_origFrame-8)(SP), SI
	TESTL $0x200, 4(SI)           // interrupts back on if the Go caller had them on
	JEQ 2(PC)
	STI
	CALL ·origHeadroom(SB)        // room for the original's frame: the stack may move
	MOVL (const_origFrame-4)(SP), BX
	MOVL const_origTramp(BX), AX
	CALL AX
	CLI
	// The stack may have moved: everything from SP.
	MOVL (const_origFrame-4)(SP), BX
	MOVL const_origResult(BX), CX
	MOVL CX, BP
	SHRL $8, BP                   // the result's offset
	ANDL $0xff, CX
	XORL AX, AX
	XORL DX, DX
	CMPL CX, $const_store8
	JEQ cOrigGo8
	CMPL CX, $const_storeBool
	JEQ cOrigGo8
	CMPL CX, $const_store16
	JEQ cOrigGo16
	CMPL CX, $const_store32
	JEQ cOrigGo32
	CMPL CX, $const_store64
	JEQ cOrigGo64
	JMP cOrigGoBack
cOrigGo8:
	MOVBLZX (SP)(BP*1), AX
	JMP cOrigGoBack
cOrigGo16:
	MOVWLZX (SP)(BP*1), AX
	JMP cOrigGoBack
cOrigGo64:
	LEAL (SP)(BP*1), CX
	MOVL 4(CX), DX
cOrigGo32:
	MOVL (SP)(BP*1), AX
cOrigGoBack:
	MOVL (const_origFrame-8)(SP), SI // M
	LEAL (const_origFrame-8)(SP), DI // the bridge's words go back here
	MOVL 4(SI), CX
	MOVL CX, 0(DI)
	MOVL 0(SI), CX
	MOVL CX, 4(DI)
	MOVL DI, 28(SI)               // the guard's SavedSP, where the stack is now
	JMP ·cOrigResume(SB)

// cOrigResume: back to C on the module stack, SI the save area, EDX:EAX
// the result, interrupts off.
TEXT ·cOrigResume(SB), NOSPLIT|NOFRAME, $0
	MOVL 28(SI), CX
	MOVL CX, ·G+Guard_SavedSP(SB)
	MOVL 24(SI), CX
	MOVL CX, ·G+Guard_Resume(SB)
	MOVL 20(SI), CX
	MOVL CX, ·G+Guard_SavedGS(SB)
	MOVL 16(SI), CX
	MOVL CX, ·G+Guard_SavedFS(SB)
	MOVL 12(SI), CX
	MOVL CX, ·G+Guard_Fn(SB)
	MOVL 8(SI), CX
	MOVL CX, ·G+Guard_Kind(SB)
	MOVL $1, ·G+Guard_Active(SB)
	XORL CX, CX
	MOVW CX, GS
	MOVW CX, FS
	MOVL SI, SP
	DECL ·origDepth(SB)
	JNE cOrigStillWaiting
	MOVL ·modStackBase(SB), CX
	MOVL CX, ·modStackTop(SB)
cOrigStillWaiting:
	MOVL 32(SP), BP
	MOVL 36(SP), DI
	MOVL 40(SP), SI
	MOVL 44(SP), BX
	LEAL 52(SP), SP               // the save area and the descriptor: return to C
	RET

// func cOrigAddr() uintptr
TEXT ·cOrigAddr(SB), NOSPLIT, $0-4
	MOVL $·cOrig(SB), AX
	MOVL AX, ret+0(FP)
	RET
