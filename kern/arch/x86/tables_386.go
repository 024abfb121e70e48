package x86

import "unsafe"

// NumVectors is the number of trap stubs: vectors 0–47 and 0x80.
const NumVectors = 49

// BootStackSize is the ring-0 stack kentry runs the boot code on.
const BootStackSize = 64 << 10

// The GDT (selectors in frame.go):
//
//	0 null   1 ring-0 code  2 ring-0 data  3 ring-1 code  4 ring-1 data
//	5 ring-3 code  6 ring-3 data  7 TSS  8 TLS (swapped per thread)
//	9 trap-tier TLS (ring 0 GS)
var (
	gdt  [gdtSlots]uint64
	gdtr [3]uint16 // limit, base low, base high: the operand of LGDT
	idt  [256]uint64
	idtr [3]uint16
	tss  TSS

	// The trap tier runs ordinary Go functions on ring-0 stacks. Their
	// prologues load g from -4(GS) and compare SP with g.stackguard0, so
	// ring-0 GS selects trapTLS, whose slot 0 points at trapG: a minimal
	// stand-in for runtime.g holding only the stack bounds (the runtime's
	// g starts with stack.lo, stack.hi, stackguard0, stackguard1). Slot 1
	// points at itself, as the ELF TLS ABI expects of 0(GS).
	trapTLS [2]uintptr
	trapG   stackG

	// userStack and userStackHi are, for the next trap from ring 3, where
	// the trap tier runs after saving the frame into the thread's user
	// context, and the top of that ring-0 stack (SetUserEntry).
	userStack, userStackHi uintptr

	bootStack [BootStackSize]byte
)

// TSS is the 32-bit task-state segment; only Esp0/Ss0 (the ring-0 stack for
// traps from rings 1 and 3) and IOMapBase are used.
type TSS struct {
	Link, Esp0, Ss0, Esp1, Ss1, Esp2, Ss2 uint32
	Cr3, Eip, Eflags                      uint32
	Eax, Ecx, Edx, Ebx, Esp, Ebp, Esi     uint32
	Edi, Es, Cs, Ss, Ds, Fs, Gs, Ldt      uint32
	Trap, IOMapBase                       uint16
}

// kentry is the kernel's ELF entry point (entry_386.s).
func kentry()

// bootHandler is called by kentry on the boot stack with the physical
// address of the boot-info; it returns the first TrapFrame to resume (the Go
// runtime's entry in ring 1). The trap tier (kern/shim) provides it.
func bootHandler(bootinfo uint32) uintptr

// trapHandler handles the trap described by tf and returns the frame to
// resume. The trap tier (kern/shim) provides it.
func trapHandler(tf uintptr) uintptr

// setupGDT runs before any Go TLS exists (called from kentry), so it and
// everything it calls are nosplit.
//
//go:nosplit
func setupGDT() {
	gdt[0] = 0
	gdt[SelKCode>>3] = SegDesc(0, 0xFFFFF, AccCode0, true)
	gdt[SelKData>>3] = SegDesc(0, 0xFFFFF, AccData0, true)
	gdt[SelGoCode>>3] = SegDesc(0, 0xFFFFF, AccCode1, true)
	gdt[SelGoData>>3] = SegDesc(0, 0xFFFFF, AccData1, true)
	gdt[SelUCode>>3] = SegDesc(0, 0xFFFFF, AccCode3, true)
	gdt[SelUData>>3] = SegDesc(0, 0xFFFFF, AccData3, true)
	trapTLS[0] = uintptr(unsafe.Pointer(&trapG))
	trapTLS[1] = uintptr(unsafe.Pointer(&trapTLS[1]))
	gdt[SelTrapGS>>3] = SegDesc(uint32(trapTLS[1]), 0xFFFFF, AccData0, true)
	lo := uintptr(unsafe.Pointer(&bootStack[0]))
	setTrapStack(lo, lo+BootStackSize)
	base := uint32(uintptr(unsafe.Pointer(&gdt)))
	gdtr[0] = uint16(len(gdt)*8 - 1)
	gdtr[1] = uint16(base)
	gdtr[2] = uint16(base >> 16)
}

// stackG mirrors the first words of runtime.g that function prologues use;
// trap_386.s reaches its fields through go_asm.h (stackG_lo, ...).
type stackG struct {
	lo, hi         uintptr // stack.lo, stack.hi
	guard0, guard1 uintptr // stackguard0, stackguard1
}

// trapStackGuard is how much of a ring-0 stack stays below the guard: room
// for the nosplit functions a prologue check does not cover.
const trapStackGuard = 2048

//go:nosplit
func setTrapStack(lo, hi uintptr) {
	trapG = stackG{lo: lo, hi: hi, guard0: lo + trapStackGuard, guard1: lo + trapStackGuard}
}

// InitIDT points every vector at its stub: interrupt gates in the ring-0
// code segment, callable by software only for 0x80 (from rings 1 and 3).
func InitIDT() {
	vt := vectorTable()
	for v := 0; v < NumVectors-1; v++ {
		idt[v] = GateDesc(uint32(vt[v]), SelKCode, 0)
	}
	idt[TrapSyscall] = GateDesc(uint32(vt[NumVectors-1]), SelKCode, 3)
	base := uint32(uintptr(unsafe.Pointer(&idt)))
	idtr[0] = uint16(len(idt)*8 - 1)
	idtr[1] = uint16(base)
	idtr[2] = uint16(base >> 16)
	Lidt(uintptr(unsafe.Pointer(&idtr)))
}

// InitTSS installs the TSS; traps from rings 1 and 3 switch to Ss0:Esp0.
func InitTSS(esp0 uint32) {
	tss.Ss0 = SelKData
	tss.Esp0 = esp0
	tss.IOMapBase = uint16(unsafe.Sizeof(tss)) // no I/O bitmap
	gdt[SelTSS>>3] = SegDesc(uint32(uintptr(unsafe.Pointer(&tss))), uint32(unsafe.Sizeof(tss))-1, AccTSS, false)
	Ltr(SelTSS)
}

// KStackSize is the size of every thread's ring-0 stack.
const KStackSize = 16 << 10

// SetKernelStack makes hi the top of the ring-0 stack for the next trap
// from ring 1 or 3. alltraps then gives the trap tier's stack checks the
// bounds [hi-KStackSize, hi); until then they keep describing the stack the
// trap tier is running on.
//
//go:nosplit
func SetKernelStack(hi uintptr) {
	tss.Esp0 = uint32(hi)
}

// SetUserEntry prepares the next trap from ring 3 (user mode): the CPU
// pushes its frame so that the frame ends at frameEnd, alltraps saves the
// FPU state in the FXSAVE area below it (FxArea), and the trap tier then
// runs on the ring-0 stack at sp, in the stack whose top is hi. A thread's
// user frame is its linux.UserContext's registers and FPU area, so entering
// and leaving user mode copies neither.
//
//go:nosplit
func SetUserEntry(frameEnd, sp, hi uintptr) {
	tss.Esp0 = uint32(frameEnd)
	userStack, userStackHi = sp, hi
}

// SetTLS loads the thread's TLS descriptor into the GDT slot that GS
// selects; the selector is reloaded from the frame on return.
//
//go:nosplit
func SetTLS(desc uint64) { gdt[TLSEntry] = desc }

// Resume starts executing the frame at tf and does not return.
func Resume(tf *TrapFrame) { resume(uintptr(unsafe.Pointer(tf))) }

// BootStack returns the bounds of the boot stack.
func BootStack() (lo, hi uintptr) {
	lo = uintptr(unsafe.Pointer(&bootStack[0]))
	return lo, lo + BootStackSize
}
