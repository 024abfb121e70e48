package bootinfo

import (
	"testing"
	"unsafe"
)

// The numbers below are the ones documented in boot/bootinfo.h and
// docs/boot.md; the C side checks a subset with _Static_assert.
func TestLayout(t *testing.T) {
	var bi Info
	var r MemRegion
	checks := []struct {
		name      string
		got, want uintptr
	}{
		{"sizeof(MemRegion)", unsafe.Sizeof(r), 24},
		{"MemRegion.Base", unsafe.Offsetof(r.Base), 0},
		{"MemRegion.Length", unsafe.Offsetof(r.Length), 8},
		{"MemRegion.Type", unsafe.Offsetof(r.Type), 16},
		{"MemRegion.Attr", unsafe.Offsetof(r.Attr), 20},
		{"sizeof(Info)", unsafe.Sizeof(bi), Size},
		{"Magic", unsafe.Offsetof(bi.Magic), 0},
		{"Version", unsafe.Offsetof(bi.Version), 4},
		{"Size", unsafe.Offsetof(bi.Size), 8},
		{"Flags", unsafe.Offsetof(bi.Flags), 12},
		{"BootDrive", unsafe.Offsetof(bi.BootDrive), 16},
		{"MemUsableKiB", unsafe.Offsetof(bi.MemUsableKiB), 20},
		{"KernelPhysStart", unsafe.Offsetof(bi.KernelPhysStart), 24},
		{"KernelPhysEnd", unsafe.Offsetof(bi.KernelPhysEnd), 28},
		{"KernelEntry", unsafe.Offsetof(bi.KernelEntry), 32},
		{"InitrdPhys", unsafe.Offsetof(bi.InitrdPhys), 36},
		{"InitrdSize", unsafe.Offsetof(bi.InitrdSize), 40},
		{"ShdrPhys", unsafe.Offsetof(bi.ShdrPhys), 44},
		{"ShdrNum", unsafe.Offsetof(bi.ShdrNum), 48},
		{"ShdrEntSize", unsafe.Offsetof(bi.ShdrEntSize), 52},
		{"ShStrNdx", unsafe.Offsetof(bi.ShStrNdx), 56},
		{"ShStrtabPhys", unsafe.Offsetof(bi.ShStrtabPhys), 60},
		{"ShStrtabSize", unsafe.Offsetof(bi.ShStrtabSize), 64},
		{"SymtabPhys", unsafe.Offsetof(bi.SymtabPhys), 68},
		{"SymtabSize", unsafe.Offsetof(bi.SymtabSize), 72},
		{"StrtabPhys", unsafe.Offsetof(bi.StrtabPhys), 76},
		{"StrtabSize", unsafe.Offsetof(bi.StrtabSize), 80},
		{"PageDirPhys", unsafe.Offsetof(bi.PageDirPhys), 84},
		{"MapLimit", unsafe.Offsetof(bi.MapLimit), 88},
		{"LoaderEndPhys", unsafe.Offsetof(bi.LoaderEndPhys), 92},
		{"MemMapCount", unsafe.Offsetof(bi.MemMapCount), 96},
		{"Reserved0", unsafe.Offsetof(bi.Reserved0), 100},
		{"Cmdline", unsafe.Offsetof(bi.Cmdline), 104},
		{"MemMap", unsafe.Offsetof(bi.MemMap), 360},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
	if unsafe.Offsetof(bi.MemMap)%8 != 0 || unsafe.Sizeof(bi)%8 != 0 {
		t.Errorf("MemMap offset and Info size must be multiples of 8 for 386/amd64 parity")
	}
}

func TestHelpers(t *testing.T) {
	var bi Info
	if bi.Valid() {
		t.Fatal("zero Info is valid")
	}
	bi.Magic, bi.Version, bi.Size = Magic, Version, Size
	if !bi.Valid() {
		t.Fatal("Info with magic/version/size is not valid")
	}
	copy(bi.Cmdline[:], "console=ttyS0 debug")
	if got := bi.CmdlineString(); got != "console=ttyS0 debug" {
		t.Errorf("CmdlineString = %q", got)
	}
	bi.MemMapCount = 2
	bi.MemMap[1] = MemRegion{Base: 1 << 20, Length: 127 << 20, Type: MemUsable, Attr: 1}
	if rs := bi.Regions(); len(rs) != 2 || rs[1].Length != 127<<20 {
		t.Errorf("Regions = %+v", rs)
	}
	bi.MemMapCount = 1000
	if n := len(bi.Regions()); n != MemMapMax {
		t.Errorf("Regions with a bad count returned %d entries", n)
	}
}
