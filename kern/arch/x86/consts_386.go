package x86

import "gojos/kern/bootinfo"

// Constants used by the assembly through go_asm.h (const_NAME); never
// hand-copy these numbers into assembly.
const (
	bootMagic = bootinfo.Magic
	KernBase  = bootinfo.KernBase
)

// overflowMsg is what trap_386.s prints when the trap tier's stack runs out.
// A string variable initialised with a constant is laid out statically, so
// the assembly can use it with no runtime.
var overflowMsg = "\r\ngojos: FATAL: trap-tier stack overflow (fault in morestack)\r\n"
