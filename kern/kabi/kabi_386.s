#include "textflag.h"
#include "go_asm.h"

// Both bridges into C keep the same shape: save EFLAGS, interrupts off, fill
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

// func callC(fn uintptr) (ret uint32, fault uint32): call the C function fn
// (int fn(void)) on the module stack with interrupts off; return its EAX,
// or the guard's fault sequence number when it faulted.
TEXT ·callC(SB), NOSPLIT, $0-12
	MOVL fn+0(FP), AX
	PUSHFL
	CLI
	MOVL $const_FaultInCall, ·G+Guard_Kind(SB)
	GUARD_ENTER(·callCResume)
	CALL AX
	GUARD_LEAVE
	POPFL
	MOVL AX, ret+4(FP)
	MOVL $0, fault+8(FP)
	RET

// callCResume: callC's recovery entry, on callC's caller's stack: return
// address, fn, ret, fault; AX holds the fault's sequence number.
TEXT ·callCResume(SB), NOSPLIT|NOFRAME, $0
	MOVL $0, 8(SP)
	MOVL AX, 12(SP)
	RET

// patchBridge is where a generated stub jumps with the C function in AX
// when a Go function of type func() int32 has been patched to C: the stack
// is the Go function's at entry (return address, then the result slot).
TEXT ·patchBridge(SB), NOSPLIT|NOFRAME, $0
	PUSHFL
	CLI
	MOVL $const_FaultInPatch, ·G+Guard_Kind(SB)
	GUARD_ENTER(·patchResume)
	CALL AX
	GUARD_LEAVE
	POPFL
	MOVL AX, 4(SP)               // the Go caller's result slot
	RET

// patchResume: patchBridge's recovery entry; the caller's result is zero
// (the fault watcher reports the fault and reverts the patch).
TEXT ·patchResume(SB), NOSPLIT|NOFRAME, $0
	MOVL $0, 4(SP)
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
