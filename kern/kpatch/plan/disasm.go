package plan

import (
	"fmt"
	"strings"

	"golang.org/x/arch/x86/x86asm"
)

// Inside reports whether eip lies strictly inside the patched bytes
// (Target, Target+Covered): a thread resuming there would execute the middle of the
// jump or the tail of an overwritten instruction. The kernel checks every
// suspended thread's saved EIP with it before writing the patch.
func (p *Plan) Inside(eip uint32) bool {
	return eip-p.Target-1 < uint32(p.Covered)-1 // eip in [Target+1, Target+Covered)
}

// CheckBody decodes the whole function (body: its original bytes from Target, the
// symbol's size long) and refuses the plan if a relative branch anywhere in it
// targets the inside of the patched bytes (Target, Target+Covered), which would
// execute the middle of the jump. Indirect branches (jump tables, function
// pointers) cannot be checked this way. A byte sequence that does not decode is an
// error: the function would not be well understood.
func (p *Plan) CheckBody(body []byte) error {
	off := 0
	for off < len(body) {
		inst, err := decode(body[off:])
		if err != nil {
			return fmt.Errorf("%w at +%#x (% x): %v", ErrDecode, off, head(body[off:], 8), err)
		}
		pc := p.Target + uint32(off)
		if dest, ok := relTarget(inst, pc); ok && p.Inside(dest) {
			return fmt.Errorf("the %s at +%#x branches to +%#x, inside the %d patched bytes",
				strings.ToLower(inst.Op.String()), off, dest-p.Target, p.Covered)
		}
		off += inst.Len
	}
	return nil
}

// gnu formats an instruction in GNU syntax. x86asm prints a segment-relative
// absolute address of 0 as "%gs:" where objdump prints "%gs:0x0"; fix that up.
func gnu(inst x86asm.Inst, pc uint32, sym x86asm.SymLookup) string {
	text := x86asm.GNUSyntax(inst, uint64(pc), sym)
	for _, seg := range []string{"%es:", "%cs:", "%ss:", "%ds:", "%fs:", "%gs:"} {
		text = strings.ReplaceAll(text, seg+",", seg+"0x0,")
		if strings.HasSuffix(text, seg) {
			text += "0x0"
		}
	}
	return text
}

// relTarget returns the destination of a PC-relative branch.
func relTarget(inst x86asm.Inst, pc uint32) (uint32, bool) {
	for _, a := range inst.Args {
		if a == nil {
			break
		}
		if r, ok := a.(x86asm.Rel); ok {
			return pc + uint32(inst.Len) + uint32(int32(r)), true
		}
	}
	return 0, false
}

// Symbolizer maps an address to the symbol containing it: its name and start.
// ok is false when no symbol contains addr.
type Symbolizer func(addr uint32) (name string, start uint32, ok bool)

// Line is one disassembled instruction.
type Line struct {
	Addr  uint32
	Bytes []byte
	Text  string // GNU (AT&T) syntax, as objdump prints; "(bad)" if undecodable
}

// String formats the line like objdump: "c0101000:\t65 8b 0d fc ff ff ff\tmov ...".
func (l Line) String() string {
	return fmt.Sprintf("%08x:\t%-21s\t%s", l.Addr, fmt.Sprintf("% x", l.Bytes), l.Text)
}

// Disassemble decodes up to n instructions of code, which starts at addr, in GNU
// syntax. Branch and call targets print as "0xc0101234 <name+0x4>" when sym knows
// them. An undecodable byte becomes a one-byte "(bad)" line and decoding resumes
// after it, as objdump does.
func Disassemble(code []byte, addr uint32, n int, sym Symbolizer) []Line {
	lookup := func(a uint64) (string, uint64) {
		if sym == nil || a > 0xffffffff {
			return "", 0
		}
		name, start, ok := sym(uint32(a))
		if !ok {
			return "", 0
		}
		return name, uint64(start)
	}
	var out []Line
	off := 0
	for off < len(code) && len(out) < n {
		pc := addr + uint32(off)
		inst, err := decode(code[off:])
		if err != nil {
			out = append(out, Line{Addr: pc, Bytes: code[off : off+1], Text: "(bad)"})
			off++
			continue
		}
		text := gnu(inst, pc, lookup)
		if dest, ok := relTarget(inst, pc); ok && sym != nil {
			if name, start, ok := sym(dest); ok {
				// GNUSyntax printed either the bare name (exact) or the address.
				hex := fmt.Sprintf("%#x", dest)
				label := name
				if dest != start {
					label = fmt.Sprintf("%s+%#x", name, dest-start)
				}
				if strings.HasSuffix(text, " "+name) {
					text = strings.TrimSuffix(text, name) + hex
				}
				text += " <" + label + ">"
			}
		}
		out = append(out, Line{Addr: pc, Bytes: code[off : off+inst.Len], Text: text})
		off += inst.Len
	}
	return out
}
