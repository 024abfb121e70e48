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
	freed := 0                               // the pages present in the range (a fault maps a few ahead)
	for va := lo; va < hi; va += page {
		if _, ok := as.mapped(va, false); ok {
			freed++
		}
	}
	if e := as.Unmap(lo, hi-lo); e != 0 {
		t.Fatal("Unmap", e)
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

// TestFaultAround: a fault on a missing page maps the next few committed
// read-write pages of its page table too, and stops at a page that is
// present, not read-write, outside the mapping or in the next table.
func TestFaultAround(t *testing.T) {
	as, err := NewAddressSpace()
	if errors.Is(err, linux.Errno(linux.ENOSYS)) {
		t.Skip("no frames outside the kernel in a 386 build")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer as.Destroy()
	base, e := as.Map(0, 2048*page, linux.PROT_READ|linux.PROT_WRITE, false)
	if e != 0 {
		t.Fatal("Map", e)
	}
	// Put the last pages of the first table on its boundary, one page
	// read-only in the middle, and one page present ahead of a fault.
	table := (base + 4<<20) &^ (4<<20 - 1) // a page-table boundary inside the mapping
	if e := as.Protect(base+10*page, page, linux.PROT_READ); e != 0 {
		t.Fatal("Protect", e)
	}
	present := func(va uint32) bool { _, ok := as.mapped(va, false); return ok }
	fault := func(va uint32) {
		t.Helper()
		if err := as.Fault(va, true); err != nil {
			t.Fatalf("Fault(%#x): %v", va, err)
		}
	}
	fault(base)
	for i := uint32(0); i <= faultAround; i++ {
		if !present(base + i*page) {
			t.Errorf("page %d after the fault is not mapped", i)
		}
	}
	if present(base + (faultAround+1)*page) {
		t.Error("more pages mapped than faultAround")
	}
	if _, ok := as.mapped(base+page, true); !ok {
		t.Error("a page mapped ahead is not writable")
	}
	fault(base + 8*page) // 9 is mapped next; 10 is read-only: the run stops
	if !present(base+9*page) || present(base+10*page) || present(base+11*page) {
		t.Error("the run went past a read-only page")
	}
	fault(base + 20*page)
	fault(base + 19*page) // 20 is present: nothing more
	if present(base+24*page) || !present(base+23*page) {
		t.Error("a run from page 19 went past the present page 20, or 20's run is missing")
	}
	res := as.Resident()
	fault(table - 2*page) // the table ends after the next page
	if !present(table-page) || present(table) {
		t.Error("the run crossed into the next page table")
	}
	if got := as.Resident(); got != res+2 {
		t.Errorf("resident grew by %d, want 2", got-res)
	}
}
