// Package plan computes live patches of i386 code without touching memory: which
// five bytes to write at a function's entry, what they replace, and whether doing so
// is safe. The kernel (kern/kpatch) performs the write; host tools and tests run the
// same code.
//
// A patch replaces the first five bytes of a function with "JMP rel32" (E9 xx xx xx
// xx) to the replacement. Before planning, the function's first instructions are
// decoded with golang.org/x/arch/x86/x86asm in 32-bit mode and must be whole, valid
// instructions covering at least five bytes that all lie inside the function.
//
// What the instruction checks do and do not guarantee. The kernel writes the five
// bytes on one CPU with interrupts off, so no thread is ever observed half-way
// through executing an instruction, and no thread runs while the bytes change. The
// checks here guarantee that:
//   - the entry really is code: five bytes of valid instructions, not data or an
//     invalid opcode (so a wrong address is refused instead of corrupting data);
//   - the patch ends inside the last covered instruction and everything from
//     Target+Covered on is untouched: code reached at or after that boundary still
//     executes the original instructions;
//   - the patch never spills past the function's end into its neighbour;
//   - unpatching restores exactly the original instructions.
//
// The bytes Target+5 .. Target+Covered-1 are left holding the tail of an overwritten
// instruction. They are harmless only as long as nothing enters the range
// (Target, Target+Covered): a thread suspended at an instruction boundary inside it
// (Plan.Inside reports that, for the kernel to check every saved EIP before writing)
// or a branch in the function body back into it (CheckBody finds those by decoding the
// whole function). A Go function's first instruction (MOVL (TLS), CX: 7 bytes) has no
// boundary inside the patch; a C prologue PUSHL BP; MOVL SP, BP has two.
package plan

import (
	"encoding/binary"
	"errors"
	"fmt"

	"golang.org/x/arch/x86/x86asm"
)

// JumpLen is the length of the patch: E9 rel32.
const JumpLen = 5

// MaxCode is the number of code bytes New needs at most: an i386 instruction is at
// most 15 bytes, so whole instructions covering 5 bytes end within 4+15 bytes.
const MaxCode = 4 + 15

// Sentinel errors; the errors New returns wrap one of these (use errors.Is).
var (
	ErrNotEntry    = errors.New("not a function entry")
	ErrTooShort    = errors.New("function too short to patch")
	ErrDecode      = errors.New("cannot decode instruction")
	ErrSelf        = errors.New("replacement is the target itself")
	ErrNotEnough   = errors.New("not enough code bytes")
	ErrOutsideFunc = errors.New("instructions extend past the end of the function")
)

// Func describes the function containing the patch target, from the symbol table.
type Func struct {
	Name  string
	Start uint32
	Size  uint32
}

// Plan is one computed patch.
type Plan struct {
	Target      uint32        // address patched: the function's entry
	Replacement uint32        // where the jump goes
	Orig        [JumpLen]byte // bytes at Target before the patch
	Patch       [JumpLen]byte // bytes written: E9 rel32
	Covered     int           // bytes of whole instructions covering the patch (>= 5)
	insts       []x86asm.Inst // the covered instructions, decoded once
}

// NumInsns is the number of whole instructions the patch covers.
func (p *Plan) NumInsns() int { return len(p.insts) }

// Insns spells the covered instructions in GNU syntax. They are formatted
// only when asked (messages, listings), not for every patch.
func (p *Plan) Insns() []string {
	out := make([]string, len(p.insts))
	pc := p.Target
	for i, inst := range p.insts {
		out[i] = gnu(inst, pc, nil)
		pc += uint32(inst.Len)
	}
	return out
}

// To is the same patch with another destination: the decode and the checks
// of the target's entry do not depend on where the jump goes.
func (p *Plan) To(repl uint32) (*Plan, error) {
	if repl == p.Target {
		return nil, fmt.Errorf("%w at %#x", ErrSelf, p.Target)
	}
	q := *p
	q.Replacement = repl
	q.Patch = Jump(p.Target, repl)
	return &q, nil
}

// String summarises the plan.
func (p *Plan) String() string {
	return fmt.Sprintf("%#x -> %#x: % x => % x (covers %d bytes)", p.Target, p.Replacement, p.Orig, p.Patch, p.Covered)
}

// Jump returns the 5 bytes of "JMP rel32" at from to to: rel = to - (from + 5),
// computed modulo 2^32 (every i386 address is reachable).
func Jump(from, to uint32) [JumpLen]byte {
	var b [JumpLen]byte
	b[0] = 0xe9
	binary.LittleEndian.PutUint32(b[1:], to-(from+JumpLen))
	return b
}

// JumpTarget decodes bytes at addr as "JMP rel32" and returns its destination.
func JumpTarget(addr uint32, b []byte) (uint32, bool) {
	if len(b) < JumpLen || b[0] != 0xe9 {
		return 0, false
	}
	return addr + JumpLen + binary.LittleEndian.Uint32(b[1:]), true
}

// New plans a patch of the function fn at target so that it jumps to repl.
// code holds the bytes at target (at least MaxCode of them, or up to the function's
// end if it is shorter). New refuses:
//   - a target that is not fn's start ("not a function entry: fn+0x1");
//   - a function shorter than 5 bytes;
//   - a target equal to the replacement;
//   - code that does not decode as whole instructions covering >= 5 bytes inside fn.
func New(fn Func, target uint32, code []byte, repl uint32) (*Plan, error) {
	name := fn.Name
	if name == "" {
		name = fmt.Sprintf("%#x", fn.Start)
	}
	if target != fn.Start {
		return nil, fmt.Errorf("%w: %s+%#x (the function starts at %#x)", ErrNotEntry, name, target-fn.Start, fn.Start)
	}
	if fn.Size < JumpLen {
		return nil, fmt.Errorf("%w: %s is %d bytes, a patch needs %d", ErrTooShort, name, fn.Size, JumpLen)
	}
	if repl == target {
		return nil, fmt.Errorf("%w: %s at %#x", ErrSelf, name, target)
	}
	// Decode all the bytes given, as the CPU would, and check the lengths against
	// the function's size afterwards (x86asm may decode a cut-off byte sequence
	// differently from the full one).
	p := &Plan{Target: target, Replacement: repl}
	for p.Covered < JumpLen {
		rest := code[p.Covered:]
		inst, err := decode(rest)
		if err != nil {
			if errors.Is(err, errTruncated) && len(rest) < 15 {
				if uint64(len(code)) >= uint64(fn.Size) {
					return nil, fmt.Errorf("%w: %s: the instruction at +%#x (% x) does not end within its %d bytes",
						ErrOutsideFunc, name, p.Covered, rest, fn.Size)
				}
				return nil, fmt.Errorf("%w: %s: have %d bytes, need more to decode at +%#x", ErrNotEnough, name, len(code), p.Covered)
			}
			return nil, fmt.Errorf("%w at %s+%#x (% x): %v", ErrDecode, name, p.Covered, head(rest, 8), err)
		}
		if uint64(p.Covered)+uint64(inst.Len) > uint64(fn.Size) {
			return nil, fmt.Errorf("%w: %s: the instruction at +%#x (% x) does not end within its %d bytes",
				ErrOutsideFunc, name, p.Covered, rest[:inst.Len], fn.Size)
		}
		p.insts = append(p.insts, inst)
		p.Covered += inst.Len
	}
	copy(p.Orig[:], code[:JumpLen])
	p.Patch = Jump(target, repl)
	return p, nil
}

// decode decodes one 32-bit instruction. x86asm is not documented to be panic-free
// on arbitrary input, so a panic is turned into an error: callers get an error
// value for every malformed input.
func decode(code []byte) (inst x86asm.Inst, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("decoder failure: %v", r)
		}
	}()
	inst, err = x86asm.Decode(code, 32)
	switch {
	case errors.Is(err, x86asm.ErrTruncated):
		err = errTruncated
	case err != nil:
	case inst.Op == 0:
		// x86asm reports a truncated instruction (or a prefix with nothing after
		// it) as a one-byte instruction with no opcode and no error.
		err = errTruncated
	case inst.Len <= 0 || inst.Len > len(code):
		err = fmt.Errorf("decoder returned length %d for %d bytes", inst.Len, len(code))
	}
	return inst, err
}

var errTruncated = errors.New("truncated instruction")

func head(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}
