package plan

import "golang.org/x/arch/x86/x86asm"

// PrologueBytes is how much of a function's entry PrologueFrame reads: the
// whole of a 386 Go prologue (TLS load, stack check, SUB of the frame).
const PrologueBytes = 48

// PrologueFrame finds the local frame a 386 Go function reserves in its
// prologue: the immediate of the first "SUB $n, SP" among its first
// instructions, before any return, unconditional jump or call. ok is false
// when there is none there (a frameless function, or code that is not a
// Go prologue).
func PrologueFrame(code []byte) (frame uint32, ok bool) {
	for off := 0; off < len(code); {
		inst, err := decode(code[off:])
		if err != nil {
			return 0, false
		}
		switch inst.Op {
		case x86asm.RET, x86asm.JMP, x86asm.CALL:
			return 0, false
		case x86asm.SUB:
			if r, isReg := inst.Args[0].(x86asm.Reg); isReg && r == x86asm.ESP {
				if imm, isImm := inst.Args[1].(x86asm.Imm); isImm && imm >= 0 {
					return uint32(imm), true
				}
				return 0, false
			}
		}
		off += inst.Len
	}
	return 0, false
}

// OriginalTrampoline returns the code that runs the original of a patched
// Go function for a caller that has already made room on the stack for it
// (at least its frame): the prologue's two loads of g (GS-relative and
// CX-relative, so they run anywhere), then a jump past its stack check to
// the rest of the function. The check is left out because its failure
// branch — morestack, to grow the stack or to yield to a preemption request
// — restarts the function at its entry, and the entry is patched: the
// replacement would run again inside itself. When code does not start with
// that prologue (a function without a stack check), the result is
// Trampoline's. code holds the unpatched bytes at p.Target (PrologueBytes of
// them, or up to the function's end).
func OriginalTrampoline(p *Plan, code []byte, at uint32) ([]byte, error) {
	if n, resume, ok := stackCheck(code); ok && n >= p.Covered {
		out := append([]byte(nil), code[:n]...)
		back := Jump(at+uint32(n), p.Target+uint32(resume))
		return append(out, back[:]...), nil
	}
	return Trampoline(p, code, at)
}

// stackCheck recognises the 386 Go prologue "MOVL GS:0, CX; MOVL -4(CX),
// CX; [LEAL -n(SP), AX;] CMPL SP|AX, 8(CX); JBE more": loads is the length
// of the two loads, resume the offset of the instruction after the branch.
func stackCheck(code []byte) (loads, resume int, ok bool) {
	var insts []x86asm.Inst
	for off := 0; len(insts) < 5 && off < len(code); {
		inst, err := decode(code[off:])
		if err != nil {
			break
		}
		insts = append(insts, inst)
		off += inst.Len
	}
	is := func(i int, op x86asm.Op) bool { return i < len(insts) && insts[i].Op == op }
	mem := func(a x86asm.Arg, seg, base x86asm.Reg, disp int64) bool {
		m, ok := a.(x86asm.Mem)
		return ok && m.Segment == seg && m.Base == base && m.Index == 0 && m.Disp == disp
	}
	if !is(0, x86asm.MOV) || insts[0].Args[0] != x86asm.ECX || !mem(insts[0].Args[1], x86asm.GS, 0, 0) ||
		!is(1, x86asm.MOV) || insts[1].Args[0] != x86asm.ECX || !mem(insts[1].Args[1], 0, x86asm.ECX, -4) {
		return 0, 0, false
	}
	loads = insts[0].Len + insts[1].Len
	i := 2
	cmpWith := x86asm.ESP
	if is(i, x86asm.LEA) && insts[i].Args[0] == x86asm.EAX {
		if m, isMem := insts[i].Args[1].(x86asm.Mem); !isMem || m.Base != x86asm.ESP || m.Index != 0 {
			return 0, 0, false
		}
		cmpWith = x86asm.EAX
		i++
	}
	if !is(i, x86asm.CMP) || insts[i].Args[0] != cmpWith || !mem(insts[i].Args[1], 0, x86asm.ECX, 8) || !is(i+1, x86asm.JBE) {
		return 0, 0, false
	}
	resume = 0
	for _, inst := range insts[:i+2] {
		resume += inst.Len
	}
	return loads, resume, true
}
