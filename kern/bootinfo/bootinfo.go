// Package bootinfo describes the structure the gojos boot loader hands to the
// kernel. It mirrors boot/bootinfo.h field for field and boot/layout.h's
// shared constants: cheader_test.go reads both headers and compares every
// #define, field offset and size with this package mechanically, and
// bootinfo_test.go checks the documented offsets; docs/boot.md has the same
// table. Change them together and bump Version on any layout change.
//
// Layout rules that make the C (-m32) and Go layouts identical on 386 and
// amd64: every uint64 sits at an 8-aligned offset, the size is a multiple of
// 8, there is no implicit padding.
//
// All addresses are physical. At kernel entry physical [0, MapLimit) is
// mapped at virtual 0, [0, 256 MiB) at KernBase (the kernel image) and
// [0, 768 MiB) at DirectMap; the kernel keeps the direct map, so physical
// address pa is always at virtual pa + DirectMap.
package bootinfo

// Constants shared with boot/layout.h and boot/bootinfo.h.
const (
	Magic       = 0x42494A47 // bytes "GJIB"; also EAX at kernel entry
	Version     = 2
	CmdlineSize = 256
	MemMapMax   = 64
	Size        = 1896 // sizeof(struct bootinfo)

	KernBase   = 0xC0000000 // the kernel image: virtual = physical + KernBase
	DirectMap  = 0xD0000000 // all physical memory: virtual = physical + DirectMap
	DirectSize = 0x30000000 // the direct map's size: [0, 768 MiB) of physical memory
	Addr       = 0x3000     // physical address of the Info at kernel entry
	PageDir    = 0x2000     // loader's page directory (CR3 at entry)
	StackTop   = 0x7C00     // loader stack; ESP at entry = KernBase+StackTop-8
	MapLimit   = 0x40000000 // bytes mapped at 0 (identity) by the loader
	KernelLoad = 0x00100000 // lowest physical address of a kernel segment
	COM1       = 0x3F8      // the serial console's I/O port (loader, trap tier, modules)
)

// Flags.
const (
	FlagMemMapTruncated = 1 << 0 // BIOS reported more than MemMapMax regions
	FlagSyms            = 1 << 1 // the Shdr*/Symtab*/Strtab* fields are valid
)

// Memory region types (BIOS e820).
const (
	MemUsable   = 1
	MemReserved = 2
	MemACPI     = 3
	MemNVS      = 4
	MemBad      = 5
)

// MemRegion is one BIOS e820 entry (24 bytes).
type MemRegion struct {
	Base   uint64 //  0
	Length uint64 //  8
	Type   uint32 // 16 Mem*
	Attr   uint32 // 20 ACPI 3.0 extended attributes (1 if the BIOS gave none)
}

// Info is struct bootinfo (1896 bytes).
type Info struct {
	Magic           uint32               //   0 Magic
	Version         uint32               //   4 Version
	Size            uint32               //   8 Size
	Flags           uint32               //  12 Flag*
	BootDrive       uint32               //  16 BIOS drive number
	MemUsableKiB    uint32               //  20 sum of usable regions, KiB, clamped to 4 GiB
	KernelPhysStart uint32               //  24 lowest PT_LOAD physical address
	KernelPhysEnd   uint32               //  28 end of the highest PT_LOAD (bss included), page-rounded
	KernelEntry     uint32               //  32 ELF e_entry (virtual)
	InitrdPhys      uint32               //  36 page-aligned; 0 if none
	InitrdSize      uint32               //  40
	ShdrPhys        uint32               //  44 copy of the kernel's section header table
	ShdrNum         uint32               //  48
	ShdrEntSize     uint32               //  52 40
	ShStrNdx        uint32               //  56
	ShStrtabPhys    uint32               //  60
	ShStrtabSize    uint32               //  64
	SymtabPhys      uint32               //  68 .symtab, 16-byte Elf32_Sym entries
	SymtabSize      uint32               //  72
	StrtabPhys      uint32               //  76 .strtab
	StrtabSize      uint32               //  80
	PageDirPhys     uint32               //  84
	MapLimit        uint32               //  88
	LoaderEndPhys   uint32               //  92 first page after everything the loader placed
	MemMapCount     uint32               //  96 valid entries in MemMap
	Reserved0       uint32               // 100
	Cmdline         [CmdlineSize]byte    // 104 NUL-terminated
	MemMap          [MemMapMax]MemRegion // 360
}

// CmdlineString returns the command line up to its NUL terminator.
func (bi *Info) CmdlineString() string {
	for i, c := range bi.Cmdline {
		if c == 0 {
			return string(bi.Cmdline[:i])
		}
	}
	return string(bi.Cmdline[:])
}

// Regions returns the valid memory regions.
func (bi *Info) Regions() []MemRegion {
	n := bi.MemMapCount
	if n > MemMapMax {
		n = MemMapMax
	}
	return bi.MemMap[:n]
}

// Valid reports whether the magic, version and size match this package.
func (bi *Info) Valid() bool {
	return bi.Magic == Magic && bi.Version == Version && bi.Size == Size
}
