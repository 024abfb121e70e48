package x86

import "gojos/kern/bootinfo"

// Constants used by the assembly through go_asm.h (const_NAME); never
// hand-copy these numbers into assembly.
const (
	bootMagic = bootinfo.Magic
	KernBase  = bootinfo.KernBase
	// COM1 is the serial console's I/O port; COM1LSR its line status
	// register and DebugExit QEMU's isa-debug-exit port.
	COM1      = bootinfo.COM1
	COM1LSR   = COM1 + 5
	DebugExit = 0xF4
)

// overflowMsg is what trap_386.s prints when the trap tier's stack runs out.
// A string variable initialised with a constant is laid out statically, so
// the assembly can use it with no runtime.
var overflowMsg = "\r\ngojos: FATAL: trap-tier stack overflow (fault in morestack)\r\n"
