package mm

import (
	"testing"

	"gojos/kern/abi/linux"
)

// run is one run of a VMSpace as the tests spell it: first page, state.
type run struct {
	start uint32
	state uint8
}

const (
	F  = StateFree
	R  = StateReserved
	C  = StateCommitted
	RO = StateCommittedRO
)

// wantRuns checks that v's runs are exactly want.
func wantRuns(t *testing.T, what string, v *VMSpace, want ...run) {
	t.Helper()
	ok := v.nruns == len(want)
	for k := 0; ok && k < v.nruns; k++ {
		ok = v.start[k] == want[k].start && v.state[k] == want[k].state
	}
	if !ok {
		got := make([]run, v.nruns)
		for k := range got {
			got[k] = run{v.start[k], v.state[k]}
		}
		t.Fatalf("%s: runs %v, want %v", what, got, want)
	}
}

// pg is the address of page p of a window starting at lo.
func pg(lo uint32, p uint32) uint32 { return lo + p*PageSize }

func TestVMRunsMergeSplit(t *testing.T) {
	const lo, hi = 0x100000, 0x200000 // 256 pages
	v := newVM(t, lo, hi)
	wantRuns(t, "Init", v, run{0, F})
	v.Map(pg(lo, 16), 16*PageSize, rw, true)
	wantRuns(t, "fixed in the middle", v, run{0, F}, run{16, C}, run{32, F})
	v.Map(pg(lo, 32), 16*PageSize, rw, true)
	wantRuns(t, "touching on the right: merged", v, run{0, F}, run{16, C}, run{48, F})
	v.Map(pg(lo, 8), 8*PageSize, rw, true)
	wantRuns(t, "touching on the left: merged", v, run{0, F}, run{8, C}, run{48, F})
	v.Protect(pg(lo, 20), 4*PageSize, linux.PROT_READ)
	wantRuns(t, "split in the middle", v, run{0, F}, run{8, C}, run{20, RO}, run{24, C}, run{48, F})
	v.Protect(pg(lo, 20), 4*PageSize, rw)
	wantRuns(t, "hole filled: three runs merged", v, run{0, F}, run{8, C}, run{48, F})
	v.Protect(pg(lo, 8), 40*PageSize, linux.PROT_READ)
	wantRuns(t, "whole run changed", v, run{0, F}, run{8, RO}, run{48, F})
	v.Protect(pg(lo, 8), 4*PageSize, rw)
	wantRuns(t, "head of a run", v, run{0, F}, run{8, C}, run{12, RO}, run{48, F})
	v.Protect(pg(lo, 44), 4*PageSize, rw)
	wantRuns(t, "tail of a run", v, run{0, F}, run{8, C}, run{12, RO}, run{44, C}, run{48, F})
	v.Map(pg(lo, 10), 36*PageSize, linux.PROT_NONE, true)
	wantRuns(t, "fixed over three runs, remainders on both sides", v, run{0, F}, run{8, C}, run{10, R}, run{46, C}, run{48, F})
	v.Map(pg(lo, 9), 38*PageSize, linux.PROT_NONE, true)
	wantRuns(t, "fixed over three runs, equal-state middle", v, run{0, F}, run{8, C}, run{9, R}, run{47, C}, run{48, F})
	if e := v.Unmap(pg(lo, 0), 256*PageSize); e != 0 {
		t.Fatal(e)
	}
	wantRuns(t, "unmap of everything", v, run{0, F})
	if v.Pages(F) != 256 {
		t.Fatalf("free pages %d", v.Pages(F))
	}
	v.Map(0, 256*PageSize, linux.PROT_NONE, false)
	wantRuns(t, "whole window", v, run{0, R})
	v.Unmap(pg(lo, 0), PageSize)
	v.Unmap(pg(lo, 255), PageSize)
	wantRuns(t, "first and last page", v, run{0, F}, run{1, R}, run{255, F})
	v.Unmap(pg(lo, 0), 2*PageSize)
	wantRuns(t, "unmap over free and mapped", v, run{0, F}, run{2, R}, run{255, F})
	v.Unmap(pg(lo, 254), PageSize)
	wantRuns(t, "unmap touching the free tail", v, run{0, F}, run{2, R}, run{254, F})
	if a, _ := v.Map(0, PageSize, linux.PROT_NONE, false); a != pg(lo, 0) {
		t.Fatalf("first fit: %#x", a)
	}
	wantRuns(t, "non-fixed map", v, run{0, R}, run{1, F}, run{2, R}, run{254, F})
	if a, _ := v.Map(0, PageSize, linux.PROT_NONE, false); a != pg(lo, 1) {
		t.Fatalf("first fit into a one-page hole: %#x", a)
	}
	wantRuns(t, "hole filled by a non-fixed map", v, run{0, R}, run{254, F})
	v.Map(pg(lo, 0), 256*PageSize, rw, true)
	wantRuns(t, "fixed over the whole window", v, run{0, C})
	if v.Pages(C) != 256 || v.Pages(R) != 0 || v.Pages(F) != 0 {
		t.Fatalf("counts %d %d %d", v.Pages(C), v.Pages(R), v.Pages(F))
	}
	if p, ok := v.NextCommitted(pg(lo, 7)+5, hi); !ok || p != pg(lo, 7) {
		t.Fatalf("NextCommitted inside a run: %#x %v", p, ok)
	}
}

// alternate reserves the window and makes every other page read-only
// until the runs are full (MaxRuns or v.limit): R RO R RO ... .
func alternate(t *testing.T, v *VMSpace) {
	t.Helper()
	if _, e := v.Map(v.Lo(), v.Hi()-v.Lo(), linux.PROT_NONE, true); e != 0 {
		t.Fatal(e)
	}
	p := uint32(1)
	for ; v.nruns+2 <= v.limit; p += 2 {
		if e := v.Protect(pg(v.Lo(), p), PageSize, linux.PROT_READ); e != 0 {
			t.Fatalf("protect %d with %d runs: %d", p, v.nruns, e)
		}
	}
	if v.nruns != v.limit && v.nruns != v.limit-1 {
		t.Fatalf("%d runs, limit %d", v.nruns, v.limit)
	}
}

func TestVMRunCapacity(t *testing.T) {
	const lo = 0x400000
	v := newVM(t, lo, lo+4*MaxRuns*PageSize)
	alternate(t, v) // 1023 runs: R RO R ... R, the last R long
	if v.nruns != MaxRuns-1 {
		t.Fatalf("%d runs", v.nruns)
	}
	// Splitting the long last run needs two more: refused, nothing changed.
	mid := pg(lo, 3*MaxRuns)
	before := *v
	if e := v.Protect(mid, PageSize, linux.PROT_READ); e != linux.ENOMEM {
		t.Fatalf("protect past the capacity: %d", e)
	}
	if e := v.CheckUnmap(mid, PageSize); e != linux.ENOMEM {
		t.Fatalf("CheckUnmap past the capacity: %d", e)
	}
	if e := v.Unmap(mid, PageSize); e != linux.ENOMEM {
		t.Fatalf("unmap past the capacity: %d", e)
	}
	if e := v.CheckMapFixed(mid, PageSize, rw); e != linux.ENOMEM {
		t.Fatalf("CheckMapFixed past the capacity: %d", e)
	}
	if _, e := v.Map(mid, PageSize, rw, true); e != linux.ENOMEM {
		t.Fatalf("fixed map past the capacity: %d", e)
	}
	if *v != before {
		t.Fatal("a refused operation changed the VMSpace")
	}
	// One more run fits: the window's last page.
	last := v.Hi() - PageSize
	if e := v.CheckUnmap(last, PageSize); e != 0 {
		t.Fatalf("CheckUnmap of the last page: %d", e)
	}
	if e := v.Unmap(last, PageSize); e != 0 || v.nruns != MaxRuns {
		t.Fatalf("unmap of the last page: %d, %d runs", e, v.nruns)
	}
	// Full: no split anywhere, but changes that do not add runs work.
	if e := v.Protect(last-PageSize, PageSize, rw); e != linux.ENOMEM {
		t.Fatalf("split at the full capacity: %d", e)
	}
	if e := v.Protect(pg(lo, 0), PageSize, rw); e != 0 {
		t.Fatalf("whole-run protect at the full capacity: %d", e)
	}
	if e := v.Unmap(last-PageSize, 2*PageSize); e != 0 {
		t.Fatalf("unmap extending the free tail at the full capacity: %d", e)
	}
	if e := v.Protect(pg(lo, 3), PageSize, linux.PROT_NONE); e != 0 || v.nruns != MaxRuns-2 {
		t.Fatalf("merging protect: %d, %d runs", e, v.nruns)
	}
	if e := v.Unmap(pg(lo, 0), v.Hi()-lo); e != 0 || v.nruns != 1 || v.Pages(F) != 4*MaxRuns {
		t.Fatalf("unmap of everything: %d, %d runs", e, v.nruns)
	}
}

// A non-fixed map picks its place first; if that place needs a run too
// many it fails, even if a place elsewhere would merge.
func TestVMRunCapacityPlacement(t *testing.T) {
	const lo = 0x100000
	v := newVM(t, lo, lo+64*PageSize)
	v.limit = 3
	v.Map(lo, 10*PageSize, linux.PROT_NONE, true)
	if a, e := v.Map(0, PageSize, rw, false); e != 0 || a != pg(lo, 10) {
		t.Fatalf("map at the free run: %#x %d", a, e)
	}
	wantRuns(t, "3 runs", v, run{0, R}, run{10, C}, run{11, F})
	before := *v
	if _, e := v.Map(0, PageSize, linux.PROT_NONE, false); e != linux.ENOMEM || *v != before {
		t.Fatalf("a 4th run: %d", e)
	}
	if a, e := v.Map(0, PageSize, rw, false); e != 0 || a != pg(lo, 11) {
		t.Fatalf("merging map: %#x %d", a, e)
	}
	wantRuns(t, "merged", v, run{0, R}, run{10, C}, run{12, F})
}

func TestVMZeroValue(t *testing.T) {
	var v VMSpace
	if _, e := v.Map(0x1000, PageSize, rw, true); e != linux.EINVAL {
		t.Errorf("Map: %d", e)
	}
	if _, e := v.Map(0, PageSize, rw, false); e != linux.EINVAL {
		t.Errorf("Map: %d", e)
	}
	if e := v.CheckMapFixed(0x1000, PageSize, rw); e != linux.EINVAL {
		t.Errorf("CheckMapFixed: %d", e)
	}
	if e := v.Unmap(0x1000, PageSize); e != linux.EINVAL {
		t.Errorf("Unmap: %d", e)
	}
	if e := v.CheckUnmap(0x1000, PageSize); e != linux.EINVAL {
		t.Errorf("CheckUnmap: %d", e)
	}
	if e := v.Protect(0x1000, PageSize, rw); e != linux.EINVAL {
		t.Errorf("Protect: %d", e)
	}
	if e := v.CheckMapped(0x1000, PageSize); e != linux.EINVAL {
		t.Errorf("CheckMapped: %d", e)
	}
	if v.State(0x1000) != StateFree || v.IsCommitted(0x1000) || v.Contains(0x1000) || v.Pages(StateFree) != 0 {
		t.Error("queries")
	}
	if _, ok := v.NextCommitted(0, 0xFFFFFFFF); ok {
		t.Error("NextCommitted")
	}
}
