package mm

import (
	"testing"

	"gojos/kern/abi/linux"
)

// refVM is a deliberately naive model of VMSpace: a slice of page states and
// the Linux rules written out directly.
type refVM struct {
	lo    uint32
	pages []uint8
}

func (r *refVM) hi() uint64 { return uint64(r.lo) + uint64(len(r.pages))*PageSize }

func refState(prot uint32) (uint8, bool) {
	if prot&^7 != 0 {
		return 0, false
	}
	if prot == 0 {
		return StateReserved, true
	}
	if prot&linux.PROT_WRITE != 0 {
		return StateCommitted, true
	}
	return StateCommittedRO, true
}

func (r *refVM) inWindow(addr uint32, length uint32) (first, n int, ok bool) {
	n = int((uint64(length) + PageSize - 1) / PageSize)
	if length == 0 || addr < r.lo || uint64(addr)+uint64(n)*PageSize > r.hi() {
		return 0, 0, false
	}
	return int((addr - r.lo) / PageSize), n, true
}

func (r *refVM) free(i, n int) bool {
	for j := i; j < i+n; j++ {
		if r.pages[j] != StateFree {
			return false
		}
	}
	return true
}

// firstFit returns the lowest i in [from, to) with pages [i, i+n) free.
func (r *refVM) firstFit(from, to, n int) int {
	run := 0
	for j := from; j < len(r.pages); j++ {
		if r.pages[j] != StateFree {
			run = 0
			continue
		}
		run++
		if run == n {
			if i := j - n + 1; i < to {
				return i
			}
			return -1
		}
	}
	return -1
}

func (r *refVM) Map(hint, length, prot uint32, fixed bool) (uint32, int32) {
	s, ok := refState(prot)
	if length == 0 || !ok {
		return 0, linux.EINVAL
	}
	if fixed {
		if hint%PageSize != 0 {
			return 0, linux.EINVAL
		}
		first, n, ok := r.inWindow(hint, length)
		if !ok {
			return 0, linux.ENOMEM
		}
		for j := first; j < first+n; j++ {
			r.pages[j] = s
		}
		return hint, 0
	}
	n := int((uint64(length) + PageSize - 1) / PageSize)
	if n > len(r.pages) {
		return 0, linux.ENOMEM
	}
	h := (uint64(hint) + PageSize - 1) / PageSize * PageSize
	i := -1
	start := 0
	if h >= uint64(r.lo) && h < r.hi() {
		start = int((h - uint64(r.lo)) / PageSize)
		if start+n <= len(r.pages) && r.free(start, n) {
			i = start
		}
	}
	if i < 0 {
		i = r.firstFit(start, len(r.pages), n)
	}
	if i < 0 {
		i = r.firstFit(0, len(r.pages), n)
	}
	if i < 0 {
		return 0, linux.ENOMEM
	}
	for j := i; j < i+n; j++ {
		r.pages[j] = s
	}
	return r.lo + uint32(i)*PageSize, 0
}

func (r *refVM) Unmap(addr, length uint32) int32 {
	if addr%PageSize != 0 {
		return linux.EINVAL
	}
	first, n, ok := r.inWindow(addr, length)
	if !ok {
		return linux.EINVAL
	}
	for j := first; j < first+n; j++ {
		r.pages[j] = StateFree
	}
	return 0
}

func (r *refVM) Protect(addr, length, prot uint32) int32 {
	s, ok := refState(prot)
	if !ok || addr%PageSize != 0 {
		return linux.EINVAL
	}
	if length == 0 {
		return 0
	}
	first, n, ok := r.inWindow(addr, length)
	if !ok {
		return linux.ENOMEM
	}
	for j := first; j < first+n; j++ {
		if r.pages[j] == StateFree {
			return linux.ENOMEM
		}
	}
	for j := first; j < first+n; j++ {
		r.pages[j] = s
	}
	return 0
}

func (r *refVM) nextCommitted(va, end uint32) (uint32, bool) {
	for p := uint64(va &^ pageMask); p < uint64(end) && p < r.hi(); p += PageSize {
		if p >= uint64(r.lo) {
			if s := r.pages[(p-uint64(r.lo))/PageSize]; s == StateCommitted || s == StateCommittedRO {
				return uint32(p), true
			}
		}
	}
	return 0, false
}

func (r *refVM) checkMapped(addr, length uint32) int32 {
	if addr%PageSize != 0 {
		return linux.EINVAL
	}
	if length == 0 {
		return 0
	}
	first, n, ok := r.inWindow(addr, length)
	if !ok {
		return linux.ENOMEM
	}
	for j := first; j < first+n; j++ {
		if r.pages[j] == StateFree {
			return linux.ENOMEM
		}
	}
	return 0
}

// fuzzLo/fuzzPages: a window of 2.5 summary chunks so that the chunk
// shortcuts (full, empty, partial last chunk) are all exercised.
const (
	fuzzLo    = 0x10000
	fuzzPages = 2*chunkPages + chunkPages/2
)

// decode turns 6 fuzz bytes into an operation's arguments.
func decodeVMOp(b []byte) (op byte, addr, length, prot uint32) {
	op = b[0] % 5
	po := int(uint16(b[1])|uint16(b[2])<<8)%(fuzzPages+48) - 16 // some pages outside the window
	addr = uint32(int(fuzzLo) + po*PageSize)
	ln := uint32(uint16(b[3])|uint16(b[4])<<8) % (fuzzPages + 64)
	if b[0]&0x80 != 0 {
		ln %= 16 // small mappings are the common case
	}
	length = ln * PageSize
	if b[5]&0x40 != 0 && length > 0 {
		length -= 100 // rounding up
	}
	if b[5]&0x80 != 0 {
		addr += 8 // unaligned
	}
	prot = uint32(b[5] & 7)
	if b[5]&0x38 == 0x38 {
		prot |= 0x10 // invalid
	}
	return
}

func runVMOps(t *testing.T, v *VMSpace, data []byte) {
	if !v.Init(fuzzLo, fuzzLo+fuzzPages*PageSize) {
		t.Fatal("Init")
	}
	ref := &refVM{lo: fuzzLo, pages: make([]uint8, fuzzPages)}
	for k := 0; k+6 <= len(data); k += 6 {
		op, addr, length, prot := decodeVMOp(data[k : k+6])
		switch op {
		case 0, 1:
			fixed := op == 1
			ga, ge := v.Map(addr, length, prot, fixed)
			wa, we := ref.Map(addr, length, prot, fixed)
			if ga != wa || ge != we {
				t.Fatalf("op %d: Map(%#x, %#x, %d, %v) = %#x, %d; want %#x, %d", k/6, addr, length, prot, fixed, ga, ge, wa, we)
			}
		case 2:
			if g, w := v.Unmap(addr, length), ref.Unmap(addr, length); g != w {
				t.Fatalf("op %d: Unmap(%#x, %#x) = %d; want %d", k/6, addr, length, g, w)
			}
		case 3:
			if g, w := v.Protect(addr, length, prot), ref.Protect(addr, length, prot); g != w {
				t.Fatalf("op %d: Protect(%#x, %#x, %d) = %d; want %d", k/6, addr, length, prot, g, w)
			}
		case 4:
			// Queries over [addr, addr+length): NextCommitted, CheckMapped.
			if end := addr + length; end >= addr {
				g, gok := v.NextCommitted(addr, end)
				if w, wok := ref.nextCommitted(addr, end); g != w || gok != wok {
					t.Fatalf("op %d: NextCommitted(%#x, %#x) = %#x, %v; want %#x, %v", k/6, addr, end, g, gok, w, wok)
				}
			}
			if g, w := v.CheckMapped(addr, length), ref.checkMapped(addr, length); g != w {
				t.Fatalf("op %d: CheckMapped(%#x, %#x) = %d; want %d", k/6, addr, length, g, w)
			}
		}
		if k/6%8 == 0 || k+12 > len(data) {
			checkVM(t, v, ref, k/6)
		}
	}
}

// checkVM compares every page and the counters with the model and checks
// the chunk summary.
func checkVM(t *testing.T, v *VMSpace, ref *refVM, step int) {
	var count [numStates]int
	for i, s := range ref.pages {
		if got := v.State(fuzzLo + uint32(i)*PageSize); got != s {
			t.Fatalf("after op %d: page %d state %d, want %d", step, i, got, s)
		}
		count[s]++
	}
	for s := uint8(0); s < numStates; s++ {
		if v.Pages(s) != count[s] {
			t.Fatalf("after op %d: %d pages in state %d, want %d", step, v.Pages(s), s, count[s])
		}
	}
	for c := 0; c < maxChunks; c++ {
		free := 0
		for i := c * chunkPages; i < (c+1)*chunkPages && i < len(ref.pages); i++ {
			if ref.pages[i] == StateFree {
				free++
			}
		}
		if int(v.chunkFree[c]) != free {
			t.Fatalf("after op %d: chunk %d free %d, want %d", step, c, v.chunkFree[c], free)
		}
	}
}

func FuzzVMSpace(f *testing.F) {
	f.Add([]byte{})
	// reserve at a hint, fixed commit inside, protect, query, unmap
	f.Add([]byte{
		0x00, 0x00, 0x01, 0x00, 0x08, 0x00, // Map(page 240, 2048 pages, NONE)
		0x81, 0x10, 0x01, 0x04, 0x00, 0x03, // Map fixed commit small
		0x03, 0x10, 0x01, 0x01, 0x00, 0x01, // Protect RO
		0x04, 0x00, 0x00, 0x00, 0x0a, 0x00, // queries
		0x02, 0x00, 0x01, 0x00, 0x04, 0x00, // Unmap
		0x80, 0xff, 0x09, 0x05, 0x00, 0x43, // small map near the top, rounded length
		0x00, 0x00, 0x00, 0xc4, 0x09, 0x00, // whole window (too big?)
		0x80, 0x00, 0x00, 0x01, 0x00, 0xbb, // unaligned, invalid prot
	})
	f.Add([]byte{
		0x01, 0x00, 0x00, 0xc4, 0x09, 0x00, // fixed over everything
		0x02, 0x00, 0x04, 0x02, 0x04, 0x00, // hole across the chunk 0/1 edge
		0x00, 0x00, 0x00, 0x00, 0x04, 0x03, // needs 1024 pages: not there
		0x80, 0x00, 0x00, 0x0f, 0x00, 0x03, // fits the hole
		0x03, 0x00, 0x00, 0xc4, 0x09, 0x00, // protect over the remainder
		0x04, 0x20, 0x00, 0x00, 0x0a, 0x00,
	})
	v := new(VMSpace)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 6*200 {
			data = data[:6*200]
		}
		runVMOps(t, v, data)
	})
}
