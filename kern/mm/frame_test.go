package mm

import (
	"math/rand"
	"testing"
)

// e820-like set-up: usable [0, 0x9FC00) and [1 MiB, 64 MiB), low 1 MiB and a
// "kernel image" reserved.
func newTestAllocator(t testing.TB) *FrameAllocator {
	a := new(FrameAllocator)
	a.AddFree(0, 0x9FC00)
	a.AddFree(0x100000, 0x4000000)
	a.Reserve(0, 0x100000)
	a.Reserve(0x100000, 0x100000+0x123456) // kernel image, rounded outward
	return a
}

func TestFrameSetup(t *testing.T) {
	a := newTestAllocator(t)
	kernEnd := uint32((0x100000 + 0x123456 + PageSize - 1) &^ (PageSize - 1))
	want := int((0x4000000 - kernEnd) / PageSize)
	if a.TotalCount() != want || a.FreeCount() != want {
		t.Fatalf("total %d free %d, want %d", a.TotalCount(), a.FreeCount(), want)
	}
	if a.IsManaged(0) || a.IsManaged(0x1000) || a.IsManaged(kernEnd-PageSize) || !a.IsManaged(kernEnd) {
		t.Fatal("managed bits wrong at the reserved edges")
	}
	if a.IsManaged(0x4000000) {
		t.Fatal("frame past the end managed")
	}
	// Inward rounding of AddFree, clipping at 4 GiB.
	b := new(FrameAllocator)
	if n := b.AddFree(0x1001, 0x3FFF); n != 1 || !b.IsFree(0x2000) {
		t.Fatalf("inward rounding: added %d", n)
	}
	if n := b.AddFree(0xFFFFE000, 0x1_0000_2000); n != 2 {
		t.Fatalf("4 GiB clip: added %d", n)
	}
	if n := b.AddFree(0x1_0000_0000, 0x2_0000_0000); n != 0 {
		t.Fatalf("above 4 GiB: added %d", n)
	}
	if n := b.AddFree(0x2000, 0x3000); n != 0 {
		t.Fatalf("re-adding a managed frame: added %d", n)
	}
	// Frame 0 is never handed out.
	c := new(FrameAllocator)
	if n := c.AddFree(0, 0x3000); n != 2 || c.IsManaged(0) {
		t.Fatalf("frame 0: added %d", n)
	}
	// Outward rounding of Reserve, counting allocated frames too.
	pa, _ := c.Alloc()
	if n := c.Reserve(0x1FFF, 0x2001); n != 2 || c.TotalCount() != 0 || c.FreeCount() != 0 {
		t.Fatalf("reserve: removed %d, total %d free %d", n, c.TotalCount(), c.FreeCount())
	}
	if c.Free(pa) {
		t.Fatal("freed a reserved frame")
	}
	if _, ok := c.Alloc(); ok {
		t.Fatal("alloc from an empty pool")
	}
}

func TestFrameAllocFree(t *testing.T) {
	a := newTestAllocator(t)
	total := a.TotalCount()
	seen := make(map[uint32]bool)
	for {
		pa, ok := a.Alloc()
		if !ok {
			break
		}
		if pa == 0 || pa&pageMask != 0 || !a.IsManaged(pa) || seen[pa] {
			t.Fatalf("bad frame %#x", pa)
		}
		seen[pa] = true
	}
	if len(seen) != total || a.FreeCount() != 0 {
		t.Fatalf("allocated %d of %d, free %d", len(seen), total, a.FreeCount())
	}
	for pa := range seen {
		if !a.Free(pa) {
			t.Fatalf("free %#x failed", pa)
		}
	}
	if a.FreeCount() != total {
		t.Fatalf("free %d, want %d", a.FreeCount(), total)
	}
	pa, _ := a.Alloc()
	if !a.Free(pa) || a.Free(pa) {
		t.Fatal("double free not caught")
	}
	if a.Free(pa+1) || a.Free(0) || a.Free(0x1000) || a.Free(0x8000_0000) || a.Free(0xFFFFF000) {
		t.Fatal("bad Free accepted")
	}
	if a.FreeCount() != total {
		t.Fatal("failed Free changed the count")
	}
}

func TestFrameNextFit(t *testing.T) {
	a := new(FrameAllocator)
	a.AddFree(0x1000, 0x101000) // frames 1..256
	p1, _ := a.Alloc()
	p2, _ := a.Alloc()
	a.Free(p1)
	p3, _ := a.Alloc()
	if p1 != 0x1000 || p2 != 0x2000 || p3 != 0x3000 {
		t.Fatalf("next-fit order: %#x %#x %#x", p1, p2, p3)
	}
	// Exhaust the top, then wrap around to the freed frame 1.
	for i := 0; i < 253; i++ {
		a.Alloc()
	}
	if p, ok := a.Alloc(); !ok || p != 0x1000 {
		t.Fatalf("wrap: %#x %v", p, ok)
	}
	if _, ok := a.Alloc(); ok {
		t.Fatal("alloc beyond capacity")
	}
}

func TestFrameAllocContig(t *testing.T) {
	a := newTestAllocator(t)
	free0 := a.FreeCount()
	pa, ok := a.AllocContig(16, 0x10000)
	if !ok || pa&0xFFFF != 0 {
		t.Fatalf("contig: %#x %v", pa, ok)
	}
	for i := uint32(0); i < 16; i++ {
		if a.IsFree(pa + i*PageSize) {
			t.Fatal("contig frames still free")
		}
	}
	if a.FreeCount() != free0-16 {
		t.Fatal("count")
	}
	// Fragment: allocate everything, free every other frame: no run of 2.
	b := new(FrameAllocator)
	b.AddFree(0x1000, 0x81000) // frames 1..128
	for {
		if _, ok := b.Alloc(); !ok {
			break
		}
	}
	for f := uint32(1); f <= 128; f += 2 {
		b.Free(f * PageSize)
	}
	if _, ok := b.AllocContig(2, 0); ok {
		t.Fatal("found a run of 2 in fragmented memory")
	}
	if p, ok := b.AllocContig(1, 0x4000); ok {
		t.Fatalf("odd frames cannot be 16 KiB aligned: %#x", p)
	}
	b.Free(64 * PageSize) // frames 63,64,65 free
	if p, ok := b.AllocContig(3, 0); !ok || p != 63*PageSize {
		t.Fatalf("run of 3: %#x %v", p, ok)
	}
	for _, bad := range []struct {
		n     int
		align uint32
	}{{0, 0}, {-1, 0}, {1, 0x3000}, {1 << 30, 0}} {
		if _, ok := b.AllocContig(bad.n, bad.align); ok {
			t.Fatalf("AllocContig(%d, %#x) succeeded", bad.n, bad.align)
		}
	}
	// Frame 0 is never part of a run even with big alignment.
	c := new(FrameAllocator)
	c.AddFree(0, 0x400000)
	if p, ok := c.AllocContig(4, 0x200000); !ok || p != 0x200000 {
		t.Fatalf("aligned run: %#x %v", p, ok)
	}
}

// TestFrameRandom checks the allocator against a map-based model.
func TestFrameRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	a := new(FrameAllocator)
	a.AddFree(0x1000, 0x200000)
	a.AddFree(0x300000, 0x380000)
	a.Reserve(0x100000, 0x110000)
	model := make(map[uint32]bool) // allocated frames
	var held []uint32
	for i := 0; i < 20000; i++ {
		switch op := rng.Intn(10); {
		case op < 5:
			if pa, ok := a.Alloc(); ok {
				if model[pa] || !a.IsManaged(pa) {
					t.Fatalf("step %d: %#x handed out twice or unmanaged", i, pa)
				}
				model[pa] = true
				held = append(held, pa)
			} else if a.FreeCount() != 0 {
				t.Fatalf("step %d: alloc failed with %d free", i, a.FreeCount())
			}
		case op < 6:
			n := 1 + rng.Intn(8)
			if pa, ok := a.AllocContig(n, uint32(PageSize)<<rng.Intn(4)); ok {
				for j := 0; j < n; j++ {
					p := pa + uint32(j)*PageSize
					if model[p] {
						t.Fatalf("step %d: contig overlaps %#x", i, p)
					}
					model[p] = true
					held = append(held, p)
				}
			}
		default:
			if len(held) == 0 {
				continue
			}
			k := rng.Intn(len(held))
			pa := held[k]
			held[k] = held[len(held)-1]
			held = held[:len(held)-1]
			if !a.Free(pa) {
				t.Fatalf("step %d: free %#x failed", i, pa)
			}
			delete(model, pa)
		}
		if a.FreeCount()+len(model) != a.TotalCount() {
			t.Fatalf("step %d: free %d + held %d != total %d", i, a.FreeCount(), len(model), a.TotalCount())
		}
	}
}

var benchFA FrameAllocator

func TestFrameNoAlloc(t *testing.T) {
	a := &benchFA
	a.AddFree(0x100000, 0x8000000)
	a.Reserve(0x100000, 0x200000)
	if n := testing.AllocsPerRun(1000, func() {
		pa, _ := a.Alloc()
		a.Free(pa)
		pa, _ = a.AllocContig(4, 0x4000)
		for i := uint32(0); i < 4; i++ {
			a.Free(pa + i*PageSize)
		}
		_ = a.FreeCount() + a.TotalCount()
		a.Reserve(0x7F00000, 0x7F01000)
		a.AddFree(0x7F00000, 0x7F01000)
	}); n != 0 {
		t.Fatalf("%v allocations per run", n)
	}
}

func BenchmarkFrameAllocFree(b *testing.B) {
	a := new(FrameAllocator)
	a.AddFree(0x100000, 0x40000000)
	for i := 0; i < b.N; i++ {
		pa, _ := a.Alloc()
		a.Free(pa)
	}
}
