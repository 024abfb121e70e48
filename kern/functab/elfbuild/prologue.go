package elfbuild

import "golang.org/x/arch/x86/x86asm"

// The offsets of g.stackguard0 and g.stackguard1 on 386, after g.stack's lo
// and hi words. Functions marked //go:systemstack check against
// stackguard1.
const (
	stackguard0 = 2 * regSize
	stackguard1 = 3 * regSize
)

// hasStackCheck reports whether code, a function's bytes from its entry at
// address entry, starts with the stack-bound check the Go toolchain puts in
// every function that may split its stack. On linux/386 that is
//
//	MOVL GS:0, CX; MOVL -4(CX), CX        // g from TLS
//	[LEAL -frame(SP), AX | MOVL SP, AX; SUBL $n, AX; JCS more]
//	CMPL SP|AX, 8(CX)                     // g.stackguard0 (12(CX), stackguard1, in //go:systemstack functions)
//	JBE more                              // more: CALL runtime.morestack*, in the function
//
// so: a load through GS (or FS) first, then, before any other control
// transfer, a CMP against a stackguard operand followed by JBE or JB into
// the function. A nosplit function lacks it.
func hasStackCheck(code []byte, entry, size uint32) bool {
	const window = 8 // instructions; the longest form has 7
	cmp := false
	off := 0
	for i := 0; i < window && off < len(code); i++ {
		inst, err := x86asm.Decode(code[off:], 32)
		if err != nil {
			return false
		}
		pc := entry + uint32(off)
		off += inst.Len
		switch {
		case i == 0:
			if inst.Op != x86asm.MOV || !readsTLS(inst) {
				return false
			}
		case inst.Op == x86asm.CMP:
			cmp = comparesStackguard(inst)
		case inst.Op == x86asm.JBE || inst.Op == x86asm.JB:
			target, ok := branchTarget(inst, pc)
			if !ok || target-entry >= size {
				return false
			}
			if cmp {
				return true
			}
			// JCS after the huge-frame form's subtraction: the check follows.
		case isControl(inst.Op):
			return false
		default:
			cmp = false
		}
	}
	return false
}

func readsTLS(inst x86asm.Inst) bool {
	for _, a := range inst.Args {
		if m, ok := a.(x86asm.Mem); ok && (m.Segment == x86asm.GS || m.Segment == x86asm.FS) {
			return true
		}
	}
	return false
}

func comparesStackguard(inst x86asm.Inst) bool {
	for _, a := range inst.Args {
		if m, ok := a.(x86asm.Mem); ok && m.Segment == 0 && m.Base != 0 && m.Index == 0 && (m.Disp == stackguard0 || m.Disp == stackguard1) {
			return true
		}
	}
	return false
}

func branchTarget(inst x86asm.Inst, pc uint32) (uint32, bool) {
	if rel, ok := inst.Args[0].(x86asm.Rel); ok {
		return pc + uint32(inst.Len) + uint32(rel), true
	}
	return 0, false
}

// isControl is every instruction that leaves the straight line: the check
// comes before any of them but its own conditional jumps.
func isControl(op x86asm.Op) bool {
	switch op {
	case x86asm.JMP, x86asm.CALL, x86asm.RET, x86asm.LJMP, x86asm.LCALL, x86asm.LRET,
		x86asm.JA, x86asm.JAE, x86asm.JE, x86asm.JNE, x86asm.JG, x86asm.JGE, x86asm.JL,
		x86asm.JLE, x86asm.JO, x86asm.JNO, x86asm.JP, x86asm.JNP, x86asm.JS, x86asm.JNS,
		x86asm.JCXZ, x86asm.JECXZ, x86asm.INT, x86asm.UD2:
		return true
	}
	return false
}
