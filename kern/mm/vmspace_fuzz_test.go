package mm

import (
	"testing"

	"gojos/kern/abi/linux"
)

// refVM is a deliberately naive model of VMSpace: a slice of page states and
// the Linux rules written out directly. limit is the run capacity: an
// operation whose result has more maximal equal-state runs (free ones
// included) than limit fails with ENOMEM and changes nothing.
type refVM struct {
	lo    uint32
	pages []uint8
	limit int
}

// runs counts the maximal runs of equal state in p.
func runs(p []uint8) int {
	n := 0
	for i := range p {
		if i == 0 || p[i] != p[i-1] {
			n++
		}
	}
	return n
}

// set sets pages [first, first+n) to s unless the result would exceed the
// run limit; it reports whether it did.
func (r *refVM) set(first, n int, s uint8) bool {
	p := append([]uint8(nil), r.pages...)
	for j := first; j < first+n; j++ {
		p[j] = s
	}
	if runs(p) > r.limit {
		return false
	}
	r.pages = p
	return true
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
		if !ok || !r.set(first, n, s) {
			return 0, linux.ENOMEM
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
	if i < 0 || !r.set(i, n, s) {
		return 0, linux.ENOMEM
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
	if !r.set(first, n, StateFree) {
		return linux.ENOMEM
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
	if !r.set(first, n, s) {
		return linux.ENOMEM
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

// fuzzLo/fuzzPages: a window of 2560 pages, not a power of two, so that
// runs touching its end are exercised.
const (
	fuzzLo    = 0x10000
	fuzzPages = 2560
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

// fuzzLimit is the run limit for an input: MaxRuns, or, when the input
// has a byte left over after its 6-byte operations, a small limit (1–32)
// taken from that byte, so that the capacity-exhaustion path is exercised.
func fuzzLimit(data []byte) int {
	if len(data)%6 == 0 {
		return MaxRuns
	}
	return 1 + int(data[len(data)-1])%32
}

// runVMOps runs the operations encoded in data on v and on the model,
// comparing every result and, after every operation, the whole state.
func runVMOps(t *testing.T, v *VMSpace, data []byte) {
	if !v.Init(fuzzLo, fuzzLo+fuzzPages*PageSize) {
		t.Fatal("Init")
	}
	v.limit = fuzzLimit(data)
	ref := &refVM{lo: fuzzLo, pages: make([]uint8, fuzzPages), limit: v.limit}
	for k := 0; k+6 <= len(data); k += 6 {
		op, addr, length, prot := decodeVMOp(data[k : k+6])
		switch op {
		case 0, 1:
			fixed := op == 1
			var check int32
			if fixed {
				check = v.CheckMapFixed(addr, length, prot)
			}
			ga, ge := v.Map(addr, length, prot, fixed)
			wa, we := ref.Map(addr, length, prot, fixed)
			if ga != wa || ge != we {
				t.Fatalf("op %d: Map(%#x, %#x, %d, %v) = %#x, %d; want %#x, %d", k/6, addr, length, prot, fixed, ga, ge, wa, we)
			}
			if fixed && check != we {
				t.Fatalf("op %d: CheckMapFixed(%#x, %#x, %d) = %d; Map returned %d", k/6, addr, length, prot, check, we)
			}
		case 2:
			check := v.CheckUnmap(addr, length)
			if g, w := v.Unmap(addr, length), ref.Unmap(addr, length); g != w || check != w {
				t.Fatalf("op %d: Unmap(%#x, %#x) = %d (CheckUnmap %d); want %d", k/6, addr, length, g, check, w)
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
		checkRuns(t, v, ref, k/6)
		if k/6%8 == 0 || k+12 > len(data) {
			checkVM(t, v, ref, k/6)
		}
	}
}

// checkRuns checks the run invariants (the first run at page 0, starts
// ascending, neighbours of different states, at most the limit) and that
// the runs spell out exactly the model's pages, and the counters.
func checkRuns(t *testing.T, v *VMSpace, ref *refVM, step int) {
	if v.nruns < 1 || v.nruns > v.limit || v.start[0] != 0 {
		t.Fatalf("after op %d: %d runs (limit %d), first at %d", step, v.nruns, v.limit, v.start[0])
	}
	if want := runs(ref.pages); v.nruns != want {
		t.Fatalf("after op %d: %d runs, want %d (not maximal)", step, v.nruns, want)
	}
	var count [numStates]int
	for k := 0; k < v.nruns; k++ {
		end := v.runEnd(k)
		if end <= v.start[k] || end > v.npages || (k > 0 && v.state[k] == v.state[k-1]) || v.state[k] >= numStates {
			t.Fatalf("after op %d: bad run %d: [%d, %d) state %d", step, k, v.start[k], end, v.state[k])
		}
		for p := v.start[k]; p < end; p++ {
			if ref.pages[p] != v.state[k] {
				t.Fatalf("after op %d: page %d state %d (run %d), want %d", step, p, v.state[k], k, ref.pages[p])
			}
		}
		count[v.state[k]] += int(end - v.start[k])
	}
	for s := uint8(0); s < numStates; s++ {
		if v.Pages(s) != count[s] {
			t.Fatalf("after op %d: %d pages in state %d, runs hold %d", step, v.Pages(s), s, count[s])
		}
	}
}

// checkVM compares every page and the counters with the model through the
// exported queries.
func checkVM(t *testing.T, v *VMSpace, ref *refVM, step int) {
	var count [numStates]int
	for i, s := range ref.pages {
		va := fuzzLo + uint32(i)*PageSize
		if got := v.State(va); got != s {
			t.Fatalf("after op %d: page %d state %d, want %d", step, i, got, s)
		}
		committed := s == StateCommitted || s == StateCommittedRO
		if v.IsCommitted(va+PageSize-1) != committed || v.IsWritable(va) != (s == StateCommitted) {
			t.Fatalf("after op %d: page %d IsCommitted/IsWritable disagree with state %d", step, i, s)
		}
		count[s]++
		for _, n := range []uint32{1, 2, PageSize - 1, PageSize, PageSize + 1, 3 * PageSize, 9*PageSize + 5} {
			for _, write := range []bool{false, true} {
				start := va + uint32(i%7)
				want := refRangeCommitted(ref, start, start+n, write)
				if got := v.RangeCommitted(start, start+n, write); got != want {
					t.Fatalf("after op %d: RangeCommitted(%#x, +%#x, write=%v) = %v, want %v", step, start, n, write, got, want)
				}
			}
		}
	}
	for s := uint8(0); s < numStates; s++ {
		if v.Pages(s) != count[s] {
			t.Fatalf("after op %d: %d pages in state %d, want %d", step, v.Pages(s), s, count[s])
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
		0x02, 0x00, 0x04, 0x02, 0x04, 0x00, // hole across pages 1024/1025
		0x00, 0x00, 0x00, 0x00, 0x04, 0x03, // needs 1024 pages: not there
		0x80, 0x00, 0x00, 0x0f, 0x00, 0x03, // fits the hole
		0x03, 0x00, 0x00, 0xc4, 0x09, 0x00, // protect over the remainder
		0x04, 0x20, 0x00, 0x00, 0x0a, 0x00,
	})
	// Run limit 4: a reservation, a commit inside it (3 runs + the free
	// tail = 4), then a second commit that would split it once more
	// (ENOMEM), an unmap punching a hole (ENOMEM), protects. (op is b[0]%5:
	// 0x80|y is op (3+y)%5 with small lengths; the page is b[1..2]-16.)
	f.Add([]byte{
		0x01, 0x10, 0x00, 0x00, 0x01, 0x00, // fixed reserve pages 0..255 (runs: R F)
		0x83, 0x20, 0x00, 0x04, 0x00, 0x03, // fixed commit 16..19 (R C R F)
		0x83, 0x40, 0x00, 0x04, 0x00, 0x03, // fixed commit 48..51: 6 runs, ENOMEM
		0x84, 0x30, 0x00, 0x02, 0x00, 0x00, // unmap 32..33: 6 runs, ENOMEM
		0x80, 0x10, 0x00, 0x04, 0x00, 0x00, // protect 0..3 NONE: runs unchanged
		0x80, 0x20, 0x00, 0x04, 0x00, 0x00, // protect 16..19 NONE: merges (R F)
		0x04, 0x10, 0x00, 0x00, 0x01, 0x00, // queries
		3, // limit 1 + 3%32 = 4
	})
	v := new(VMSpace)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 6*200 {
			data = append(data[:6*200:6*200], data[len(data)-1]) // keep the limit byte
		}
		runVMOps(t, v, data)
	})
}

// refRangeCommitted is RangeCommitted by the model, page by page.
func refRangeCommitted(ref *refVM, va, end uint32, write bool) bool {
	if end <= va || va < fuzzLo {
		return false
	}
	for p := va &^ (PageSize - 1); p < end; p += PageSize {
		i := (p - fuzzLo) / PageSize
		if int(i) >= len(ref.pages) {
			return false
		}
		s := ref.pages[i]
		if s != StateCommitted && (write || s != StateCommittedRO) {
			return false
		}
	}
	return true
}
