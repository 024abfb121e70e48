package plan

import (
	"encoding/binary"
	"fmt"

	"golang.org/x/arch/x86/x86asm"
)

// Trampoline returns the code that runs a patched function's original
// instructions: the instructions the patch's jump overwrote (p.Covered
// bytes at p.Target in the unpatched code orig), decoded with x86asm and
// moved to address at, followed by a jump back to p.Target+p.Covered. A
// CALL or JMP rel32 among them is re-aimed at its old destination; any other
// PC-relative instruction (a short jump, a conditional branch, LOOP, JECXZ)
// could not reach its destination from elsewhere the same way and is
// refused. On i386 nothing else depends on where an instruction is.
func Trampoline(p *Plan, orig []byte, at uint32) ([]byte, error) {
	if len(orig) < p.Covered {
		return nil, fmt.Errorf("%w: have %d bytes of %#x, the patch covers %d", ErrNotEnough, len(orig), p.Target, p.Covered)
	}
	var out []byte
	for off := 0; off < p.Covered; {
		inst, err := decode(orig[off:p.Covered])
		if err != nil {
			return nil, fmt.Errorf("%w at %#x+%#x: %v", ErrDecode, p.Target, off, err)
		}
		b := orig[off : off+inst.Len]
		pc := p.Target + uint32(off)
		if dest, ok := relTarget(inst, pc); ok {
			here := at + uint32(len(out))
			switch {
			case (inst.Op == x86asm.JMP || inst.Op == x86asm.CALL) && inst.Len == 5 && (b[0] == 0xe9 || b[0] == 0xe8):
				nb := []byte{b[0], 0, 0, 0, 0}
				binary.LittleEndian.PutUint32(nb[1:], dest-(here+5))
				b = nb
			default:
				return nil, fmt.Errorf("the %s at %#x+%#x (% x) is PC-relative and cannot be moved", gnu(inst, pc, nil), p.Target, off, b)
			}
		}
		out = append(out, b...)
		off += inst.Len
	}
	back := Jump(at+uint32(len(out)), p.Target+uint32(p.Covered))
	return append(out, back[:]...), nil
}
