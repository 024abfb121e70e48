package proc

import (
	"errors"
	"testing"

	"gojos/kern/abi/linux"
)

// TestReleaseAcrossPageTables maps a region over three page tables,
// touches every page, then unmaps a range that starts and ends inside
// tables: exactly its pages are freed, and Destroy frees the rest.
func TestReleaseAcrossPageTables(t *testing.T) {
	before := hostFrames()
	as, err := NewAddressSpace()
	if errors.Is(err, linux.Errno(linux.ENOSYS)) {
		// GOARCH=386 builds mem_386.go, whose frames come from the kernel.
		t.Skip("no frames outside the kernel in a 386 build; this test runs on the host's own architecture")
	}
	if err != nil {
		t.Fatal(err)
	}
	const n = 3 * 1024 * page // 12 MiB
	base, e := as.Map(0, n, linux.PROT_READ|linux.PROT_WRITE, false)
	if e != 0 {
		t.Fatal("Map", e)
	}
	// Touch pages near each table boundary and in between.
	var touched []uint32
	for va := base; va < base+n; va += 61 * page {
		if err := as.Fault(va, true); err != nil {
			t.Fatalf("Fault(%#x): %v", va, err)
		}
		touched = append(touched, va)
	}
	res := as.Resident()
	lo, hi := base+1000*page, base+2100*page // from table 0 through table 1 into table 2
	if e := as.Unmap(lo, hi-lo); e != 0 {
		t.Fatal("Unmap", e)
	}
	freed := 0
	for _, va := range touched {
		if va >= lo && va < hi {
			freed++
		}
	}
	if got := as.Resident(); got != res-freed {
		t.Errorf("resident after Unmap %d, want %d - %d", got, res, freed)
	}
	for _, va := range touched {
		present := false
		if pt, i, err := as.pte(va, false); err == nil {
			present = *physWord(pt, i)&pteP != 0
		}
		if want := va < lo || va >= hi; present != want {
			t.Errorf("page %#x present %v after Unmap, want %v", va, present, want)
		}
	}
	as.Destroy()
	if got := hostFrames(); got != before {
		t.Errorf("%d frames leaked", got-before)
	}
}
