package ksym

import (
	"cmp"
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"testing"
)

// checkSortKeys puts keys in order of their low halves, as rebuild does,
// and checks that sortHigh then sorts them as slices.Sort does.
func checkSortKeys(t *testing.T, keys []uint64) {
	t.Helper()
	want := slices.Clone(keys)
	slices.Sort(want)
	got := slices.Clone(keys)
	slices.SortStableFunc(got, func(a, b uint64) int { return cmp.Compare(uint32(a), uint32(b)) })
	sortHigh(got)
	if !slices.Equal(got, want) {
		t.Fatalf("sortHigh of %d keys differs from slices.Sort", len(keys))
	}
}

func TestSortKeys(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 63, 64, 65, 1000, 6000} {
		random := make([]uint64, n)
		for i := range random {
			random[i] = r.Uint64()
		}
		checkSortKeys(t, random)
		// As rebuild makes them: an address above, a kind bit and an index below,
		// addresses mostly ascending in runs, some shared.
		sym := make([]uint64, n)
		for i := range sym {
			addr := uint64(0xc0100000) + uint64((i%700)*16+r.IntN(3))
			sym[i] = addr<<32 | uint64(r.IntN(2))<<31 | uint64(i)
		}
		checkSortKeys(t, sym)
		same := make([]uint64, n) // every byte shared: every pass skipped
		for i := range same {
			same[i] = 0x0123456789abcdef
		}
		checkSortKeys(t, same)
	}
}

func FuzzSortKeys(f *testing.F) {
	f.Add([]byte{})
	f.Add(make([]byte, 8*100))
	f.Fuzz(func(t *testing.T, b []byte) {
		keys := make([]uint64, len(b)/8)
		for i := range keys {
			keys[i] = binary.LittleEndian.Uint64(b[i*8:])
		}
		checkSortKeys(t, keys)
	})
}
