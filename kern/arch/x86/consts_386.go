package x86

import "gojos/kern/bootinfo"

// Constants used by the assembly through go_asm.h (const_NAME); never
// hand-copy these numbers into assembly.
const (
	bootMagic = bootinfo.Magic
	KernBase  = bootinfo.KernBase

	// overflowMsgLen is the length of trap_386.s's overflow message.
	overflowMsgLen = 64
)
