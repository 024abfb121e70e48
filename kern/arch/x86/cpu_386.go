package x86

// Port I/O (ring 0 and ring 1).
func Inb(port uint16) uint8
func Outb(port uint16, val uint8)
func Inl(port uint16) uint32
func Outl(port uint16, val uint32)

// Interrupt flag (ring 0 and ring 1).
func Cli()
func Sti()

// Ring 0 only.
func StiHlt()
func Halt()
func Rcr0() uint32
func Lcr0(v uint32)
func Rcr2() uint32
func Rcr3() uint32
func Lcr3(v uint32)
func Rcr4() uint32
func Lcr4(v uint32)
func Invlpg(va uint32)
func Lgdt(desc uintptr)
func Lidt(desc uintptr)
func Ltr(sel uint16)
func Fxsave(area uintptr)
func Fxrstor(area uintptr)
func Fninit()

// Rdtsc reads the time-stamp counter.
func Rdtsc() (lo, hi uint32)

// Eflags reads EFLAGS.
func Eflags() uint32

// Cpuid executes CPUID for leaf and subleaf sub (allowed in any ring).
func Cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)

// Tsc returns the time-stamp counter as one number.
//
//go:nosplit
func Tsc() uint64 {
	lo, hi := Rdtsc()
	return uint64(hi)<<32 | uint64(lo)
}

// vectorTable returns the addresses of the trap stubs for vectors 0–47
// (index = vector) and 0x80 (index 48).
func vectorTable() *[NumVectors]uintptr

// resume starts executing the TrapFrame at tf; it does not return.
func resume(tf uintptr)

// Rt0 returns the address of the Go runtime's Linux entry (_rt0_386_linux).
func Rt0() uintptr

// KernelLayout returns linker-defined bounds of the kernel image: the end of
// text, the end of read-only data, and the end of the image (bss included).
func KernelLayout() (etext, erodata, end uintptr)
