package mm

import (
	"testing"
	"unsafe"

	"gojos/kern/abi/linux"
	"gojos/kern/bootinfo"
)

const (
	kLo = 0x00400000
	kHi = bootinfo.KernBase
	rw  = linux.PROT_READ | linux.PROT_WRITE
)

func newVM(t testing.TB, lo, hi uint32) *VMSpace {
	v := new(VMSpace)
	if !v.Init(lo, hi) {
		t.Fatalf("Init(%#x, %#x) failed", lo, hi)
	}
	return v
}

func TestVMInit(t *testing.T) {
	v := new(VMSpace)
	for _, c := range [][2]uint32{{0, 0x100000}, {0x1001, 0x100000}, {0x1000, 0x100001}, {0x100000, 0x100000}, {0x200000, 0x100000}, {0x1000, 0xC0002000}} {
		if v.Init(c[0], c[1]) {
			t.Errorf("Init(%#x, %#x) accepted", c[0], c[1])
		}
	}
	if _, e := v.Map(0, 4096, rw, false); e != linux.EINVAL {
		t.Errorf("Map before Init: %d", e)
	}
	if !v.Init(kLo, kHi) || v.Pages(StateFree) != (kHi-kLo)/PageSize {
		t.Fatal("kernel window")
	}
	if !v.Init(0x1000, 0xC0001000) {
		t.Fatal("MaxPages window refused")
	}
	if v.Lo() != 0x1000 || v.Hi() != 0xC0001000 {
		t.Fatal("Lo/Hi")
	}
	// Re-Init forgets every mapping, also with a smaller window.
	v.Map(0xBFFF0000, 0x10000, rw, true)
	v.Map(0x1000, 0x10000, linux.PROT_NONE, true)
	if !v.Init(0x2000, 0x12000) || v.Pages(StateFree) != 16 || v.State(0x2000) != StateFree {
		t.Fatal("re-Init")
	}
	if !v.Init(0x1000, 0xC0001000) || v.Pages(StateFree) != MaxPages || v.IsCommitted(0xBFFF0000) {
		t.Fatal("re-Init to the full window")
	}
	if a, e := v.Map(0, kHi, linux.PROT_NONE, false); e != 0 || a != 0x1000 {
		t.Fatalf("whole 3 GiB: %#x %d", a, e)
	}
}

// The Go 386 heap's start-up pattern: a PROT_NONE arena reservation at a
// 4 MiB-aligned hint, MAP_FIXED commits inside it, madvise, munmap.
func TestVMRuntimePattern(t *testing.T) {
	v := newVM(t, kLo, kHi)
	const hint = 0x10000000
	a, e := v.Map(hint, 512<<20, linux.PROT_NONE, false)
	if e != 0 || a != hint {
		t.Fatalf("reserve at hint: %#x %d", a, e)
	}
	if v.State(hint) != StateReserved || v.IsCommitted(hint) || v.Pages(StateReserved) != 512<<8 {
		t.Fatal("reservation state")
	}
	// The same hint again is taken: first fit above it.
	b, e := v.Map(hint, 256<<20, linux.PROT_NONE, false)
	if e != 0 || b != hint+512<<20 {
		t.Fatalf("second reservation: %#x %d", b, e)
	}
	c, e := v.Map(hint+0x100000, 0x4000, rw, true)
	if e != 0 || c != hint+0x100000 {
		t.Fatalf("fixed commit: %#x %d", c, e)
	}
	if !v.IsCommitted(c) || !v.IsWritable(c+0x3FFF) || v.IsCommitted(c+0x4000) || v.IsCommitted(c-1) {
		t.Fatal("commit state")
	}
	if p, ok := v.NextCommitted(hint, hint+512<<20); !ok || p != c {
		t.Fatalf("NextCommitted: %#x %v", p, ok)
	}
	if p, ok := v.NextCommitted(c+0x4000, kHi); ok {
		t.Fatalf("NextCommitted past the commit: %#x", p)
	}
	if e := v.CheckMapped(c, 0x4000); e != 0 {
		t.Fatalf("CheckMapped: %d", e)
	}
	if e := v.Protect(c, 0x1000, linux.PROT_READ); e != 0 || v.State(c) != StateCommittedRO || !v.IsCommitted(c) || v.IsWritable(c) {
		t.Fatalf("Protect RO: %d", e)
	}
	if e := v.Protect(c, 0x2000, linux.PROT_NONE); e != 0 || v.State(c+0x1000) != StateReserved {
		t.Fatalf("Protect NONE: %d", e)
	}
	if e := v.Unmap(hint, 512<<20); e != 0 || v.State(c+0x3000) != StateFree || v.Pages(StateCommitted) != 0 {
		t.Fatalf("Unmap: %d", e)
	}
	if e := v.Protect(c, 0x1000, rw); e != linux.ENOMEM {
		t.Fatalf("Protect of free range: %d", e)
	}
	if e := v.CheckMapped(c, 0x1000); e != linux.ENOMEM {
		t.Fatalf("CheckMapped of free range: %d", e)
	}
}

func TestVMPlacement(t *testing.T) {
	const lo, hi = 0x100000, 0x200000 // 256 pages
	v := newVM(t, lo, hi)
	// Hint 0 and hints outside the window search from Lo.
	if a, _ := v.Map(0, 0x1000, rw, false); a != lo {
		t.Fatalf("hint 0: %#x", a)
	}
	if a, _ := v.Map(0xF0000000, 0x1000, rw, false); a != lo+0x1000 {
		t.Fatalf("hint above window: %#x", a)
	}
	// An unaligned hint is rounded up; the length too.
	if a, _ := v.Map(lo+0x10001, 1, rw, false); a != lo+0x11000 || v.State(lo+0x11000) != StateCommitted || v.State(lo+0x12000) != StateFree {
		t.Fatalf("rounded hint: %#x", a)
	}
	// Hint busy: first fit above it.
	if a, _ := v.Map(lo+0x11000, 0x2000, rw, false); a != lo+0x12000 {
		t.Fatalf("busy hint: %#x", a)
	}
	// No room above the hint: wrap to the first fit from Lo (pages 2..16 free).
	if a, _ := v.Map(hi-0x1000, 0x3000, rw, false); a != lo+0x2000 {
		t.Fatalf("wrap: %#x", a)
	}
	// A run that straddles the hint is found by the wrapped search.
	w := newVM(t, lo, hi)
	w.Map(lo+0x10000, 0xF0000, rw, true) // pages 16..255 used
	if a, e := w.Map(lo+0x8000, 0x10000, rw, false); e != 0 || a != lo {
		t.Fatalf("straddling run: %#x %d", a, e)
	}
	if _, e := w.Map(0, 0x1000, rw, false); e != linux.ENOMEM {
		t.Fatalf("full window: %d", e)
	}
	// Whole window, too big, zero length, bad prot.
	x := newVM(t, lo, hi)
	if a, e := x.Map(0, hi-lo, rw, false); e != 0 || a != lo {
		t.Fatalf("whole window: %#x %d", a, e)
	}
	y := newVM(t, lo, hi)
	if _, e := y.Map(0, hi-lo+1, rw, false); e != linux.ENOMEM {
		t.Fatalf("too big: %d", e)
	}
	if _, e := y.Map(0, 0xFFFFFFFF, rw, false); e != linux.ENOMEM {
		t.Fatalf("huge length: %d", e)
	}
	if _, e := y.Map(0, 0, rw, false); e != linux.EINVAL {
		t.Fatalf("zero length: %d", e)
	}
	if _, e := y.Map(0, 0x1000, linux.PROT_GROWSDOWN|rw, false); e != linux.EINVAL {
		t.Fatalf("bad prot: %d", e)
	}
	if a, _ := y.Map(0, 0x1000, linux.PROT_EXEC, false); y.State(a) != StateCommittedRO {
		t.Fatal("PROT_EXEC should commit read-only")
	}
}

func TestVMFixedAndErrors(t *testing.T) {
	const lo, hi = 0x100000, 0x200000
	v := newVM(t, lo, hi)
	if _, e := v.Map(lo+1, 0x1000, rw, true); e != linux.EINVAL {
		t.Fatalf("unaligned fixed: %d", e)
	}
	for _, a := range []uint32{lo - 0x1000, hi, hi - 0x1000} {
		if _, e := v.Map(a, 0x2000, rw, true); e != linux.ENOMEM {
			t.Fatalf("fixed outside window at %#x: %d", a, e)
		}
	}
	if _, e := v.Map(0xFFFFF000, 0x2000, rw, true); e != linux.ENOMEM {
		t.Fatalf("fixed wrapping 4 GiB: %d", e)
	}
	// Fixed replaces: reserved → committed → reserved.
	v.Map(lo, 0x10000, linux.PROT_NONE, true)
	v.Map(lo+0x4000, 0x2000, rw, true)
	if v.State(lo+0x3000) != StateReserved || v.State(lo+0x5000) != StateCommitted || v.State(lo+0x6000) != StateReserved {
		t.Fatal("fixed over a reservation")
	}
	if v.Pages(StateReserved) != 14 || v.Pages(StateCommitted) != 2 || v.Pages(StateFree) != 240 {
		t.Fatalf("counts %d %d %d", v.Pages(StateReserved), v.Pages(StateCommitted), v.Pages(StateFree))
	}
	// Unmap errors; unmapping free pages is fine.
	if e := v.Unmap(lo+1, 0x1000); e != linux.EINVAL {
		t.Fatalf("unaligned unmap: %d", e)
	}
	if e := v.Unmap(lo, 0); e != linux.EINVAL {
		t.Fatalf("zero-length unmap: %d", e)
	}
	if e := v.Unmap(hi-0x1000, 0x2000); e != linux.EINVAL {
		t.Fatalf("unmap past the window: %d", e)
	}
	if e := v.Unmap(lo+0x80000, 0x10000); e != 0 {
		t.Fatalf("unmap of free pages: %d", e)
	}
	// Protect: partially free range fails and changes nothing.
	if e := v.Protect(lo+0xF000, 0x2000, rw); e != linux.ENOMEM || v.State(lo+0xF000) != StateReserved {
		t.Fatalf("protect over a hole: %d", e)
	}
	if e := v.Protect(lo+1, 0x1000, rw); e != linux.EINVAL {
		t.Fatalf("unaligned protect: %d", e)
	}
	if e := v.Protect(lo, 0x1000, 0x80); e != linux.EINVAL {
		t.Fatalf("bad prot: %d", e)
	}
	if e := v.Protect(lo+0x80000, 0, rw); e != 0 {
		t.Fatalf("zero-length protect: %d", e)
	}
	if e := v.CheckMapped(lo+1, 0); e != linux.EINVAL {
		t.Fatalf("unaligned CheckMapped: %d", e)
	}
	if v.State(lo-1) != StateFree || v.State(hi) != StateFree || v.Contains(hi) || !v.Contains(lo) {
		t.Fatal("outside-window queries")
	}
}

// chunkPages is the granularity of the per-4 MiB summary the page-state
// representation had; the test below keeps checking long runs across it.
const chunkPages = 1024

func TestVMChunkBoundaries(t *testing.T) {
	// A window that is not a multiple of the chunk size, runs crossing
	// chunk boundaries, and a search through full and empty chunks.
	const lo = 0x1000
	hi := uint32(lo + (3*chunkPages+5)*PageSize)
	v := newVM(t, lo, hi)
	a, e := v.Map(0, (3*chunkPages+5)*PageSize, linux.PROT_NONE, false)
	if e != 0 || a != lo || v.Pages(StateFree) != 0 {
		t.Fatalf("fill: %#x %d", a, e)
	}
	v.Unmap(lo+(chunkPages-2)*PageSize, 4*PageSize) // straddles chunk 0/1
	v.Unmap(lo+(3*chunkPages)*PageSize, 5*PageSize) // the partial last chunk
	if a, _ := v.Map(0, 5*PageSize, rw, false); a != lo+(3*chunkPages)*PageSize {
		t.Fatalf("tail run: %#x", a)
	}
	if a, _ := v.Map(0, 4*PageSize, rw, false); a != lo+(chunkPages-2)*PageSize {
		t.Fatalf("straddling run: %#x", a)
	}
	if p, ok := v.NextCommitted(lo, hi); !ok || p != lo+(chunkPages-2)*PageSize {
		t.Fatalf("NextCommitted: %#x %v", p, ok)
	}
	v.Unmap(lo, (3*chunkPages)*PageSize)
	if p, ok := v.NextCommitted(lo, hi); !ok || p != lo+(3*chunkPages)*PageSize {
		t.Fatalf("NextCommitted over free chunks: %#x %v", p, ok)
	}
	if a, _ := v.Map(lo+PageSize, 2*chunkPages*PageSize, rw, false); a != lo+PageSize {
		t.Fatalf("multi-chunk run at hint: %#x", a)
	}
}

var benchVM VMSpace

func TestVMNoAlloc(t *testing.T) {
	v := &benchVM
	v.Init(kLo, kHi)
	if n := testing.AllocsPerRun(100, func() {
		a, _ := v.Map(0x10000000, 64<<20, linux.PROT_NONE, false)
		v.Map(a, 1<<20, rw, true)
		v.Protect(a, 0x1000, linux.PROT_READ)
		v.CheckMapped(a, 1<<20)
		_ = v.State(a) + v.State(a+0x1000)
		_, _ = v.NextCommitted(a, a+64<<20)
		_ = v.IsCommitted(a) && v.IsWritable(a)
		_ = v.CheckMapFixed(a, 1<<20, rw) + v.CheckUnmap(a, 0x1000)
		v.Unmap(a, 64<<20)
	}); n != 0 {
		t.Fatalf("%v allocations per run", n)
	}
}

func BenchmarkVMMapUnmapArena(b *testing.B) {
	v := newVM(b, kLo, kHi)
	v.Map(kLo, 1<<30, linux.PROT_NONE, true) // a used gigabyte to skip
	for i := 0; i < b.N; i++ {
		a, _ := v.Map(0, 64<<20, linux.PROT_NONE, false)
		v.Unmap(a, 64<<20)
	}
}

// BenchmarkVMReserve256M: the Go runtime's first big reservation (a 256 MiB
// PROT_NONE mmap2 at a hint) and its munmap, in a fresh window; reports the
// struct's size too.
func BenchmarkVMReserve256M(b *testing.B) {
	v := newVM(b, kLo, kHi)
	b.ReportMetric(float64(unsafe.Sizeof(*v)), "struct-bytes")
	for i := 0; i < b.N; i++ {
		a, e := v.Map(0x10000000, 256<<20, linux.PROT_NONE, false)
		if e != 0 {
			b.Fatal(e)
		}
		v.Unmap(a, 256<<20)
	}
}

// BenchmarkVMState: the page-fault and user-copy lookup in a window holding
// a runtime-like layout (text, heap reservation with commits, stack).
func BenchmarkVMState(b *testing.B) {
	v := newVM(b, kLo, kHi)
	v.Map(0x08048000, 0x200000, linux.PROT_READ|linux.PROT_EXEC, true)
	a, _ := v.Map(0x10000000, 256<<20, linux.PROT_NONE, false)
	for k := uint32(0); k < 32; k++ {
		v.Map(a+k*0x100000, 0x80000, rw, true)
	}
	v.Map(0xBF000000, 8<<20, rw, true)
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		if v.IsWritable(a + uint32(i&0x1FFF)<<12) {
			n++
		}
	}
	_ = n
}

// BenchmarkVMNew: what every exec pays: a fresh VMSpace from the heap (zeroed)
// and its Init over the user window.
func BenchmarkVMNew(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		sinkVM = new(VMSpace) // on the heap, as kern/proc's are
		if !sinkVM.Init(kLo, kHi) {
			b.Fatal("Init")
		}
	}
}

var sinkVM *VMSpace

func TestGen(t *testing.T) {
	var v VMSpace
	if !v.Init(0x10000, 0x10000+64*PageSize) {
		t.Fatal("Init")
	}
	g := v.Gen()
	step := func(what string, changed bool) {
		t.Helper()
		if ng := v.Gen(); (ng != g) != changed {
			t.Errorf("%s: Gen %d -> %d, changed %v", what, g, ng, changed)
		}
		g = v.Gen()
	}
	a, e := v.Map(0, 4*PageSize, linux.PROT_READ|linux.PROT_WRITE, false)
	if e != 0 {
		t.Fatal("Map", e)
	}
	step("Map", true)
	if !v.RangeCommitted(a, a+4*PageSize, true) {
		t.Error("RangeCommitted after Map")
	}
	v.Protect(a, PageSize, linux.PROT_READ)
	step("Protect", true)
	if v.RangeCommitted(a, a+2*PageSize, true) || !v.RangeCommitted(a, a+2*PageSize, false) {
		t.Error("RangeCommitted after Protect")
	}
	v.Protect(a, PageSize, 0x100) // bad prot: nothing changes
	step("a refused Protect", false)
	v.Unmap(a, 4*PageSize)
	step("Unmap", true)
	if v.RangeCommitted(a, a+1, false) {
		t.Error("RangeCommitted after Unmap")
	}
}
