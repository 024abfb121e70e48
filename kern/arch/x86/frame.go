package x86

import "unsafe"

// TrapFrame is the register state saved by the trap entry (trap_386.s) at the
// top of the current thread's ring-0 stack, lowest address first. The CPU
// pushes Eip..Eflags (and Esp, Ss when the trap came from ring 1 or 3); the
// vector stub pushes Err (0 when the CPU pushes none) and Trapno; alltraps
// pushes the general registers (PUSHAL) and the segment registers.
// trap_386.s uses its size and offsets through go_asm.h.
type TrapFrame struct {
	Gs, Fs, Es, Ds uint32
	Edi, Esi, Ebp  uint32
	EspPushal      uint32 // ESP as PUSHAL saw it; ignored on return
	Ebx, Edx, Ecx  uint32
	Eax            uint32
	Trapno, Err    uint32
	Eip, Cs        uint32
	Eflags         uint32
	// Present only when the trap changed privilege (Cs&3 != 0).
	Esp, Ss uint32
}

// fxAreaSize is the size of an FXSAVE area.
const fxAreaSize = 512

// FxArea returns where the FPU/SSE state of the context in the frame at tf
// is kept: the 16-byte-aligned FXSAVE area just below the frame.
func FxArea(tf uintptr) uintptr { return (tf - fxAreaSize) &^ 15 }

// FrameSize is the size of a full TrapFrame (a trap from ring 1 or 3).
const FrameSize = unsafe.Sizeof(TrapFrame{})

// FromRing0 reports whether the trap interrupted ring-0 code (the frame then
// has no Esp/Ss).
func (tf *TrapFrame) FromRing0() bool { return tf.Cs&3 == 0 }

// Segment selectors of the GDT that tables_386.go builds.
const (
	SelKCode  = 0x08     // ring 0 code
	SelKData  = 0x10     // ring 0 data
	SelGoCode = 0x18 | 1 // ring 1 code: the kernel's Go code runs here
	SelGoData = 0x20 | 1 // ring 1 data and stack
	SelUCode  = 0x28 | 3 // ring 3 code (user processes)
	SelUData  = 0x30 | 3 // ring 3 data
	SelTSS    = 0x38     // the task state segment
	SelTLS    = 0x40 | 3 // per-thread TLS slot (set_thread_area), DPL 3
	SelTrapGS = 0x48     // ring-0 GS: the trap tier's TLS (trapTLS)
	TLSEntry  = SelTLS >> 3
	gdtSlots  = 10
)

// EFLAGS bits.
const (
	FlagCF   = 1 << 0
	FlagPF   = 1 << 2
	FlagAF   = 1 << 4
	FlagZF   = 1 << 6
	FlagSF   = 1 << 7
	FlagTF   = 1 << 8
	FlagIF   = 1 << 9
	FlagDF   = 1 << 10
	FlagOF   = 1 << 11
	FlagRF   = 1 << 16
	FlagAC   = 1 << 18
	FlagIOPL = 3 << 12
	FlagID   = 1 << 21
	// FlagsGo is EFLAGS for ring-1 Go code: interrupts on, IOPL 1 (port I/O
	// and CLI/STI allowed in ring 1, not in ring 3), bit 1 always set.
	FlagsGo = FlagIF | 1<<12 | 1<<1
	// FlagsUser is EFLAGS for ring-3 user code: interrupts on, IOPL 0.
	FlagsUser = FlagIF | 1<<1
	// FlagsTrap is EFLAGS for the trap tier, set at every trap entry:
	// interrupts off (as the interrupt gate left them), direction up, IOPL 0
	// and AC clear, whatever the interrupted ring had. Trap-tier code then
	// always runs under one EFLAGS, so the emulator, which keys its
	// translated code by IOPL and AC among other things, translates it once,
	// not once per ring it was entered from.
	FlagsTrap = 1 << 1
)

// Trap numbers.
const (
	TrapDivide    = 0
	TrapDebug     = 1
	TrapNMI       = 2
	TrapBreak     = 3
	TrapOverflow  = 4
	TrapBound     = 5
	TrapIllegal   = 6
	TrapNoDevice  = 7
	TrapDouble    = 8
	TrapTSS       = 10
	TrapSegment   = 11
	TrapStack     = 12
	TrapGPF       = 13
	TrapPageFault = 14
	TrapFPU       = 16
	TrapAlign     = 17
	TrapMachine   = 18
	TrapSIMD      = 19
	IRQBase       = 32 // PIC IRQ n arrives as vector IRQBase+n
	IRQTimer      = IRQBase + 0
	IRQCOM1       = IRQBase + 4
	IRQSpurious7  = IRQBase + 7
	TrapSyscall   = 0x80
)

// Page-fault error code bits.
const (
	PFPresent = 1 << 0
	PFWrite   = 1 << 1
	PFUser    = 1 << 2
	PFFetch   = 1 << 4
)
