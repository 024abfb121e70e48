// Trap entry and exit. Every vector stub pushes an error code (0 when the
// CPU pushes none) and its vector number, then jumps to alltraps, which
// completes a TrapFrame (frame.go) on the ring-0 stack, switches to the
// trap tier's data segments and TLS, and calls trapHandler(tf) (linked to
// the trap tier, kern/shim). trapHandler returns the frame to resume, which
// may be another thread's: that is the context switch. trapret pops it.
//
// Traps from ring 1 (kernel Go code) and ring 3 (user code) arrive on the
// current thread's ring-0 stack (TSS.esp0), so nothing is ever pushed on a
// Go stack. Traps from ring 0 (a fault inside the trap tier, or an
// interrupt while the idle loop waits in HLT) nest on the same ring-0 stack.
// The stub list is written out by hand: Go assembly has no loops.

#include "textflag.h"
#include "go_asm.h"

#define NOERR(name, n) TEXT name(SB), NOSPLIT|NOFRAME, $0; PUSHL $0; PUSHL $n; JMP alltraps<>(SB)
#define ERR(name, n) TEXT name(SB), NOSPLIT|NOFRAME, $0; PUSHL $n; JMP alltraps<>(SB)

// JFLAT jumps to label when the selector in AX is one of the GDT's flat
// data segments (ring 0, 1 or 3).
#define JFLAT(label) CMPW AX, $const_SelUData; JEQ label; CMPW AX, $const_SelGoData; JEQ label; CMPW AX, $const_SelKData; JEQ label

// JFULLFX jumps to label unless the frame at BX is a system call from ring
// 1, whose FPU state is only its control words (alltraps); clobbers CX.
#define JFULLFX(label) CMPL TrapFrame_Trapno(BX), $const_TrapSyscall; JNE label; MOVL TrapFrame_Cs(BX), CX; ANDL $3, CX; CMPL CX, $1; JNE label

NOERR(vec0<>, 0)
NOERR(vec1<>, 1)
NOERR(vec2<>, 2)
NOERR(vec3<>, 3)
NOERR(vec4<>, 4)
NOERR(vec5<>, 5)
NOERR(vec6<>, 6)
NOERR(vec7<>, 7)
ERR(vec8<>, 8)
NOERR(vec9<>, 9)
ERR(vec10<>, 10)
ERR(vec11<>, 11)
ERR(vec12<>, 12)
ERR(vec13<>, 13)
ERR(vec14<>, 14)
NOERR(vec15<>, 15)
NOERR(vec16<>, 16)
ERR(vec17<>, 17)
NOERR(vec18<>, 18)
NOERR(vec19<>, 19)
NOERR(vec20<>, 20)
ERR(vec21<>, 21)
NOERR(vec22<>, 22)
NOERR(vec23<>, 23)
NOERR(vec24<>, 24)
NOERR(vec25<>, 25)
NOERR(vec26<>, 26)
NOERR(vec27<>, 27)
NOERR(vec28<>, 28)
ERR(vec29<>, 29)
ERR(vec30<>, 30)
NOERR(vec31<>, 31)
NOERR(vec32<>, 32)
NOERR(vec33<>, 33)
NOERR(vec34<>, 34)
NOERR(vec35<>, 35)
NOERR(vec36<>, 36)
NOERR(vec37<>, 37)
NOERR(vec38<>, 38)
NOERR(vec39<>, 39)
NOERR(vec40<>, 40)
NOERR(vec41<>, 41)
NOERR(vec42<>, 42)
NOERR(vec43<>, 43)
NOERR(vec44<>, 44)
NOERR(vec45<>, 45)
NOERR(vec46<>, 46)
NOERR(vec47<>, 47)
NOERR(vec128<>, 128)

// vectab holds the address of each stub; vector 48 of the table is 0x80.
DATA vectab<>+0(SB)/4, $vec0<>(SB)
DATA vectab<>+4(SB)/4, $vec1<>(SB)
DATA vectab<>+8(SB)/4, $vec2<>(SB)
DATA vectab<>+12(SB)/4, $vec3<>(SB)
DATA vectab<>+16(SB)/4, $vec4<>(SB)
DATA vectab<>+20(SB)/4, $vec5<>(SB)
DATA vectab<>+24(SB)/4, $vec6<>(SB)
DATA vectab<>+28(SB)/4, $vec7<>(SB)
DATA vectab<>+32(SB)/4, $vec8<>(SB)
DATA vectab<>+36(SB)/4, $vec9<>(SB)
DATA vectab<>+40(SB)/4, $vec10<>(SB)
DATA vectab<>+44(SB)/4, $vec11<>(SB)
DATA vectab<>+48(SB)/4, $vec12<>(SB)
DATA vectab<>+52(SB)/4, $vec13<>(SB)
DATA vectab<>+56(SB)/4, $vec14<>(SB)
DATA vectab<>+60(SB)/4, $vec15<>(SB)
DATA vectab<>+64(SB)/4, $vec16<>(SB)
DATA vectab<>+68(SB)/4, $vec17<>(SB)
DATA vectab<>+72(SB)/4, $vec18<>(SB)
DATA vectab<>+76(SB)/4, $vec19<>(SB)
DATA vectab<>+80(SB)/4, $vec20<>(SB)
DATA vectab<>+84(SB)/4, $vec21<>(SB)
DATA vectab<>+88(SB)/4, $vec22<>(SB)
DATA vectab<>+92(SB)/4, $vec23<>(SB)
DATA vectab<>+96(SB)/4, $vec24<>(SB)
DATA vectab<>+100(SB)/4, $vec25<>(SB)
DATA vectab<>+104(SB)/4, $vec26<>(SB)
DATA vectab<>+108(SB)/4, $vec27<>(SB)
DATA vectab<>+112(SB)/4, $vec28<>(SB)
DATA vectab<>+116(SB)/4, $vec29<>(SB)
DATA vectab<>+120(SB)/4, $vec30<>(SB)
DATA vectab<>+124(SB)/4, $vec31<>(SB)
DATA vectab<>+128(SB)/4, $vec32<>(SB)
DATA vectab<>+132(SB)/4, $vec33<>(SB)
DATA vectab<>+136(SB)/4, $vec34<>(SB)
DATA vectab<>+140(SB)/4, $vec35<>(SB)
DATA vectab<>+144(SB)/4, $vec36<>(SB)
DATA vectab<>+148(SB)/4, $vec37<>(SB)
DATA vectab<>+152(SB)/4, $vec38<>(SB)
DATA vectab<>+156(SB)/4, $vec39<>(SB)
DATA vectab<>+160(SB)/4, $vec40<>(SB)
DATA vectab<>+164(SB)/4, $vec41<>(SB)
DATA vectab<>+168(SB)/4, $vec42<>(SB)
DATA vectab<>+172(SB)/4, $vec43<>(SB)
DATA vectab<>+176(SB)/4, $vec44<>(SB)
DATA vectab<>+180(SB)/4, $vec45<>(SB)
DATA vectab<>+184(SB)/4, $vec46<>(SB)
DATA vectab<>+188(SB)/4, $vec47<>(SB)
DATA vectab<>+192(SB)/4, $vec128<>(SB)
GLOBL vectab<>(SB), RODATA, $196

// func vectorTable() *[NumVectors]uintptr
TEXT ·vectorTable(SB), NOSPLIT, $0-4
	MOVL $vectab<>(SB), AX
	MOVL AX, ret+0(FP)
	RET

TEXT alltraps<>(SB), NOSPLIT|NOFRAME, $0
	PUSHAL
	PUSHL DS
	PUSHL ES
	PUSHL FS
	PUSHL GS
	// Every data segment of the GDT is flat (base 0, 4 GiB, writable), so
	// the trap tier runs on the interrupted code's DS and ES when they are
	// one of them: the emulator ends its translated block at every DS or
	// ES load (60–90 ns each, against 8 for FS), and a trap used to pay
	// four. Anything else (user code may load a null or TLS selector) is
	// replaced with the kernel's; trapret restores only what differs.
	MOVL TrapFrame_Ds(SP), AX
	JFLAT(dsok)
	MOVW $const_SelKData, AX
	MOVW AX, DS
dsok:
	MOVL TrapFrame_Es(SP), AX
	JFLAT(esok)
	MOVW $const_SelKData, AX
	MOVW AX, ES
esok:
	MOVW $const_SelTrapGS, AX
	MOVW AX, GS
	// A trap from ring 1 arrived on the current thread's ring-0 stack,
	// [TSS.esp0-KStackSize, TSS.esp0); one from ring 3 in the thread's user
	// context, and the trap tier runs on the ring-0 stack whose top is
	// userStackHi (SetUserEntry). Give the trap tier's stand-in g those
	// bounds. A nested trap from ring 0 stays on the same stack.
	TESTL $3, TrapFrame_Cs(SP)
	JZ   nested
	MOVL ·tss+TSS_Esp0(SB), AX
	TESTL $2, TrapFrame_Cs(SP) // ring 3 (ring 1's selectors have RPL 1)
	JZ   bounds
	MOVL ·userStackHi(SB), AX
bounds:
	MOVL AX, ·trapG+stackG_hi(SB)
	SUBL $const_KStackSize, AX
	MOVL AX, ·trapG+stackG_lo(SB)
	ADDL $const_trapStackGuard, AX
	MOVL AX, ·trapG+stackG_guard0(SB)
	MOVL AX, ·trapG+stackG_guard1(SB)
	JMP  stackok
nested:
	// A trap inside the trap tier with its stack (nearly) exhausted — most
	// likely a fault in morestack, which the trap tier can never use —
	// cannot run Go code: report it from here and stop.
	MOVL ·trapG+stackG_guard0(SB), AX
	CMPL SP, AX
	JHI  stackok
	JMP  overflow<>(SB)
stackok:
	// Save the interrupted FPU/SSE state just below the frame: the trap
	// tier is Go code and may use SSE registers itself.
	MOVL SP, BX               // tf
	LEAL -const_fxAreaSize(BX), AX
	ANDL $~15, AX
	// A system call from ring 1 is a call of an assembly function (the
	// syscall package's) from Go code, which keeps nothing in an FPU or SSE
	// register across a call (no register is callee-saved on 386) and
	// leaves the x87 stack empty: of its FPU state only the control words
	// matter, and only they are kept, at FXSAVE's offsets (FCW at 0, MXCSR
	// at 24). FXSAVE and FXRSTOR are among the emulator's most expensive
	// instructions, and every trap-tier call and every user system call
	// (leaving user mode and entering it again are ring-1 system calls)
	// would pay them. Every other trap saves everything.
	JFULLFX(fxall)
	FSTCW 0(AX)               // FNSTCW: no wait
	STMXCSR 24(AX)
	JMP  fxdone
fxall:
	FXSAVE 0(AX)
fxdone:
	MOVL AX, SP
	// From ring 3, frame and FPU state are in the user context now: run on
	// the ring-0 stack.
	TESTL $2, TrapFrame_Cs(BX)
	JZ   call
	MOVL ·userStack(SB), SP
call:
	// One EFLAGS for the trap tier (FlagsTrap, frame.go), whatever the
	// interrupted code had (pushed on the ring-0 stack: nothing of it lands
	// in a user context). Among others it clears the direction flag: Go
	// code runs with it clear, and the interrupted code may have set it
	// (user code can, with STD or through a signal frame's EFLAGS), so
	// string instructions — the runtime's memmove that copyMem uses — would
	// copy backwards. Nothing above uses one. IRET restores the interrupted
	// code's own flags.
	PUSHL $const_FlagsTrap
	POPFL
	SUBL $8, SP
	MOVL BX, 0(SP)
	CALL ·trapHandler(SB)
	MOVL 4(SP), BX            // the frame to resume
	JMP  resumeframe<>(SB)

// resumeframe restores the FPU/SSE state saved below the frame at BX and
// resumes the frame. A ring-1 system call's frame gets what alltraps
// kept: a reset x87 unit (empty stack) with its control word, and its
// MXCSR; the SSE registers stay as they are (nothing in them is live).
TEXT resumeframe<>(SB), NOSPLIT|NOFRAME, $0
	LEAL -const_fxAreaSize(BX), AX
	ANDL $~15, AX
	JFULLFX(full)
	FINIT                     // FNINIT
	FLDCW 0(AX)
	LDMXCSR 24(AX)
	MOVL BX, SP
	JMP  trapret<>(SB)
full:
	FXRSTOR 0(AX)
	MOVL BX, SP
	JMP  trapret<>(SB)

// trapret resumes the TrapFrame at SP. DS and ES are loaded only when the
// frame's differ from the ones the trap tier ran on (alltraps).
TEXT trapret<>(SB), NOSPLIT|NOFRAME, $0
	POPL GS
	POPL FS
	MOVL 0(SP), AX
	MOVW ES, CX
	CMPW AX, CX
	JEQ  esdone
	MOVW AX, ES
esdone:
	MOVL 4(SP), AX
	MOVW DS, CX
	CMPW AX, CX
	JEQ  dsdone
	MOVW AX, DS
dsdone:
	ADDL $8, SP
	POPAL
	ADDL $8, SP               // Trapno, Err
	// The CPU (and the emulator, for interrupts as well as faults) saves
	// EFLAGS with RF set, which only suppresses a debug-register breakpoint
	// on the resumed instruction; gojos sets none. Resuming with RF set
	// would make the emulator translate the resumed code again, under
	// other flags: clear it.
	ANDL $~const_FlagRF, 8(SP) // the frame's EFLAGS, above EIP and CS
	IRETL

// func resume(tf uintptr): start executing the frame tf, with the FPU/SSE
// state saved below it (FxArea), and never return.
TEXT ·resume(SB), NOSPLIT|NOFRAME, $0-4
	MOVL tf+0(FP), BX
	JMP  resumeframe<>(SB)

// overflow prints overflowMsg on COM1 (polled) and ends QEMU with guest
// status 4, like the trap tier's fatal().
TEXT overflow<>(SB), NOSPLIT|NOFRAME, $0
	MOVL ·overflowMsg+0(SB), SI  // string data
	MOVL ·overflowMsg+4(SB), CX  // string length
loop:
	MOVW $const_COM1LSR, DX
wait:
	INB
	TESTB $0x20, AL
	JZ   wait
	MOVB (SI), AL
	MOVW $const_COM1, DX
	OUTB
	INCL SI
	DECL CX
	JNZ  loop
	MOVL $4, AX
	MOVW $const_DebugExit, DX
	OUTL
halt:
	HLT
	JMP  halt
