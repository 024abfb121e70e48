#include "textflag.h"
#include "go_asm.h"

// The bridges into C (callC, cBridge) keep the same shape: save EFLAGS, interrupts off, fill
// in the guard (G: guard.go), clear every register that could hold a Go
// pointer and the TLS segments (C code never needs them, and corrupt C code
// must not find the goroutine's g or heap addresses in them) and switch to
// the module stack; after the call,
// back to the Go stack and the saved EFLAGS. When C code faults, the trap
// tier resumes at the bridge's recovery entry with SP = G.SavedSP (pointing
// at the saved EFLAGS): the trap tier pops that word itself into the
// resumed EFLAGS, so the recovery entry starts as a function entry (return
// address at 0(SP)), with the fault's sequence number in AX.

#define GUARD_ENTER(resume) \
	MOVL SP, ·G+Guard_SavedSP(SB); \
	MOVL $resume(SB), BX; \
	MOVL BX, ·G+Guard_Resume(SB); \
	XORL BX, BX; \
	MOVW GS, BX; \
	MOVL BX, ·G+Guard_SavedGS(SB); \
	XORL BX, BX; \
	MOVW FS, BX; \
	MOVL BX, ·G+Guard_SavedFS(SB); \
	MOVL AX, ·G+Guard_Fn(SB); \
	MOVL $1, ·G+Guard_Active(SB); \
	XORL BX, BX; \
	MOVW BX, GS; \
	MOVW BX, FS; \
	XORL CX, CX; \
	XORL DX, DX; \
	XORL SI, SI; \
	XORL DI, DI; \
	XORL BP, BP; \
	MOVL ·modStackTop(SB), SP

// GUARD_LEAVE restores the Go stack and the TLS segment (GS: the
// goroutine's g) and deactivates the guard; EAX (the C result) is kept.
#define GUARD_LEAVE \
	MOVL ·G+Guard_SavedSP(SB), SP; \
	MOVL ·G+Guard_SavedGS(SB), BX; \
	MOVW BX, GS; \
	MOVL ·G+Guard_SavedFS(SB), BX; \
	MOVW BX, FS; \
	MOVL $0, ·G+Guard_Active(SB)

// func callC(fn uintptr, args *uint32, n uint32) (lo, hi, fault uint32):
// call the C function fn with the n argument words at args (cdecl: the
// first at the lowest address) on the module stack with interrupts off;
// return its EDX:EAX, or the guard's fault sequence number when it faulted.
// SP moves only by writes (no PUSH in loops) so that the assembler's
// PUSH/POP accounting stays balanced; results are stored relative to the
// saved stack pointer, not FP.
TEXT ·callC(SB), NOSPLIT, $0-24
	MOVL fn+0(FP), AX
	PUSHFL
	CLI
	MOVL $const_FaultInCall, ·G+Guard_Kind(SB)
	GUARD_ENTER(·callCResume)
	MOVL ·G+Guard_SavedSP(SB), DI // saved EFLAGS, return address, fn, args, n, lo, hi, fault
	MOVL 12(DI), SI
	MOVL 16(DI), CX
	LEAL (CX*4), DX
	SUBL DX, SP
	ANDL $~15, SP                 // 16-byte aligned at the call, as GCC assumes
	XORL DX, DX
callCcopy:
	CMPL DX, CX
	JAE callCcall
	MOVL (SI)(DX*4), BX
	MOVL BX, (SP)(DX*4)
	INCL DX
	JMP callCcopy
callCcall:
	XORL BX, BX
	XORL CX, CX
	XORL DX, DX
	XORL SI, SI
	XORL DI, DI
	CALL AX
	GUARD_LEAVE
	MOVL AX, 20(SP)               // lo
	MOVL DX, 24(SP)               // hi
	MOVL $0, 28(SP)               // fault
	POPFL
	RET

// callCResume: callC's recovery entry, on callC's caller's stack: return
// address, fn, args, n, lo, hi, fault; AX holds the fault's sequence number.
TEXT ·callCResume(SB), NOSPLIT|NOFRAME, $0
	MOVL $0, 16(SP)
	MOVL $0, 20(SP)
	MOVL AX, 24(SP)
	RET

// cBridge is where a patched Go function's stub (BridgeStub) jumps after
// pushing its descriptor (bridge_386.go): the stack is the Go function's
// at entry (the return address into its caller, then its argument frame)
// with the descriptor on top. It copies the argument words the descriptor
// names from the Go frame onto the module stack, calls the C function, and
// stores its result in the Go frame as the descriptor says.
TEXT ·cBridge(SB), NOSPLIT|NOFRAME, $0
	PUSHFL
	CLI
	MOVL $const_FaultInPatch, ·G+Guard_Kind(SB)
	MOVL 4(SP), AX                // the descriptor
	MOVL const_descFn(AX), AX     // the C function
	GUARD_ENTER(·cBridgeResume)
	MOVL ·G+Guard_SavedSP(SB), DI // saved EFLAGS, descriptor, return address, Go arguments
	MOVL 4(DI), SI
	ADDL $12, DI                  // 0(FP) of the patched function
	MOVL const_descN(SI), CX
	LEAL (CX*4), DX
	SUBL DX, SP
	ANDL $~15, SP                 // 16-byte aligned at the call
	XORL DX, DX
cBridgeCopy:
	CMPL DX, CX
	JAE cBridgeCall
	MOVL const_descLoads(SI)(DX*4), BX
	MOVL BX, BP
	SHRL $8, BP                   // offset in the Go frame
	ANDL $0xff, BX                // how to load it
	CMPL BX, $const_loadS8
	JEQ cBridgeS8
	CMPL BX, $const_loadU8
	JEQ cBridgeU8
	CMPL BX, $const_loadS16
	JEQ cBridgeS16
	CMPL BX, $const_loadU16
	JEQ cBridgeU16
	MOVL (DI)(BP*1), BX
	JMP cBridgeStore
cBridgeS8:
	MOVBLSX (DI)(BP*1), BX
	JMP cBridgeStore
cBridgeU8:
	MOVBLZX (DI)(BP*1), BX
	JMP cBridgeStore
cBridgeS16:
	MOVWLSX (DI)(BP*1), BX
	JMP cBridgeStore
cBridgeU16:
	MOVWLZX (DI)(BP*1), BX
cBridgeStore:
	MOVL BX, (SP)(DX*4)
	INCL DX
	JMP cBridgeCopy
cBridgeCall:
	MOVL const_descFn(SI), AX
	XORL BX, BX
	XORL CX, CX
	XORL DX, DX
	XORL SI, SI
	XORL DI, DI
	XORL BP, BP
	CALL AX
	GUARD_LEAVE                   // SP: the saved EFLAGS; AX, DX (the C result) kept
	MOVL 4(SP), CX                // the descriptor, read with interrupts still off
	MOVL const_descResult(CX), CX
	POPFL
	ADDL $4, SP                   // drop the descriptor: 0(SP) is the return address
	JMP ·cStore(SB)

// cBridgeResume: cBridge's recovery entry: the descriptor on top of the
// stack, then the return address. The Go caller gets a zero result (the
// fault watcher reports the fault and reverts the patch).
TEXT ·cBridgeResume(SB), NOSPLIT|NOFRAME, $0
	MOVL 0(SP), CX
	MOVL const_descResult(CX), CX
	ADDL $4, SP
	XORL AX, AX
	XORL DX, DX
	JMP ·cStore(SB)

// cStore stores the C result EDX:EAX as CX (op | offset<<8) says into the
// argument frame of the Go function whose return address is at 0(SP), and
// returns to its caller.
TEXT ·cStore(SB), NOSPLIT|NOFRAME, $0
	MOVL CX, BX
	SHRL $8, BX
	LEAL 4(SP)(BX*1), BX          // the result slot
	ANDL $0xff, CX
	CMPL CX, $const_store8
	JEQ cStore8
	CMPL CX, $const_store16
	JEQ cStore16
	CMPL CX, $const_store32
	JEQ cStore32
	CMPL CX, $const_store64
	JEQ cStore64
	CMPL CX, $const_storeBool
	JEQ cStoreBool
	RET
cStore8:
	MOVB AX, 0(BX)
	RET
cStore16:
	MOVW AX, 0(BX)
	RET
cStore32:
	MOVL AX, 0(BX)
	RET
cStore64:
	MOVL AX, 0(BX)
	MOVL DX, 4(BX)
	RET
cStoreBool:
	TESTB AL, AL
	SETNE 0(BX)
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

// func cBridgeAddr() uintptr
TEXT ·cBridgeAddr(SB), NOSPLIT, $0-4
	MOVL $·cBridge(SB), AX
	MOVL AX, ret+0(FP)
	RET

// func kprintfAddr() uintptr
TEXT ·kprintfAddr(SB), NOSPLIT, $0-4
	MOVL $·kprintfEntry(SB), AX
	MOVL AX, ret+0(FP)
	RET
