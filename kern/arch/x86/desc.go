package x86

// Segment and gate descriptor encoding (Intel SDM vol. 3A, 3.4.5 and 6.11).
// Pure functions, tested on the host.

// Descriptor access bytes.
const (
	AccCode0 = 0x9A // present, DPL 0, code, readable
	AccData0 = 0x92 // present, DPL 0, data, writable
	AccCode1 = 0xBA
	AccData1 = 0xB2
	AccCode3 = 0xFA
	AccData3 = 0xF2
	AccTSS   = 0x89 // present, DPL 0, 32-bit available TSS
)

// SegDesc encodes a segment descriptor. limit is in 4 KiB pages when pages
// is set (the usual flat 4 GiB segment is limit 0xFFFFF, pages true), else
// in bytes; every segment here is 32-bit.
//
//go:nosplit
func SegDesc(base, limit uint32, access uint8, pages bool) uint64 {
	flags := uint64(0x4) // D/B: 32-bit
	if pages {
		flags |= 0x8 // G
	}
	return uint64(limit&0xFFFF) |
		uint64(base&0xFFFFFF)<<16 |
		uint64(access)<<40 |
		uint64(limit>>16&0xF)<<48 |
		flags<<52 |
		uint64(base>>24)<<56
}

// DescBase returns the base address of a segment descriptor.
func DescBase(d uint64) uint32 {
	return uint32(d>>16&0xFFFFFF) | uint32(d>>56)<<24
}

// GateDesc encodes a 32-bit interrupt gate (IF cleared on entry) to handler
// in code segment sel, invocable by software from privilege levels ≤ dpl.
//
//go:nosplit
func GateDesc(handler uint32, sel uint16, dpl uint8) uint64 {
	return uint64(handler&0xFFFF) |
		uint64(sel)<<16 |
		uint64(0x8E|(dpl&3)<<5)<<40 |
		uint64(handler>>16)<<48
}

// Linux struct user_desc flag bits (set_thread_area), in the order of the
// bitfields after 'limit'.
const (
	UDSeg32Bit      = 1 << 0
	UDContentsMask  = 3 << 1
	UDReadExecOnly  = 1 << 3
	UDLimitInPages  = 1 << 4
	UDSegNotPresent = 1 << 5
	UDUseable       = 1 << 6
)

// TLSDesc encodes the GDT descriptor for a set_thread_area request: a DPL 3
// writable data segment (the runtime loads GS with RPL 3, which a ring-1 or
// ring-3 thread may use). ok is false for requests gojos does not support
// (code segments, 16-bit, not present).
func TLSDesc(base, limit, flags uint32) (d uint64, ok bool) {
	if flags&UDSeg32Bit == 0 || flags&UDContentsMask>>1 >= 2 ||
		flags&UDSegNotPresent != 0 || flags&UDReadExecOnly != 0 {
		return 0, false
	}
	return SegDesc(base, limit, AccData3, flags&UDLimitInPages != 0), true
}
