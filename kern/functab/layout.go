package functab

// layout assigns each parameter's Offset in the ABI0 argument frame and
// returns the frame's size, as the Go compiler lays out stack arguments (all
// of them on 386): each parameter at the next offset aligned for its type,
// the results from an offset rounded up to the register size, the whole
// frame rounded up to the register size. The size is computed in 64 bits;
// callers bound it (Decode refuses frames over maxFrame).
func layout(params, results []Param, regSize uint32) uint64 {
	off := place(0, params)
	off = place(alignUp(off, uint64(regSize)), results)
	return alignUp(off, uint64(regSize))
}

func place(off uint64, ps []Param) uint64 {
	for i := range ps {
		off = alignUp(off, uint64(ps[i].Type.Align))
		ps[i].Offset = uint32(off)
		off += uint64(ps[i].Type.Size)
	}
	return off
}

func alignUp(v, a uint64) uint64 {
	if a <= 1 {
		return v
	}
	if a&(a-1) == 0 { // a power of two, as every 386 alignment: no 64-bit division
		return (v + a - 1) &^ (a - 1)
	}
	return (v + a - 1) / a * a
}

// maxFrame bounds a decoded function's argument frame (and each type's
// size); the Go toolchain refuses frames anywhere near this.
const maxFrame = 1 << 30

// Layout lays out a 386 argument frame as Decode does: it sets each
// parameter's and result's Offset and returns the frame's size.
func Layout(params, results []Param) uint64 { return layout(params, results, regSize) }

// MaxFrame bounds an argument frame and a type's size in a table.
const MaxFrame = maxFrame
