package x86

import (
	"unsafe"

	"gojos/kern/bootinfo"
)

// kentry is the kernel's ELF entry point (entry_386.s). It is never called
// from Go.
func kentry()

// Constants used by entry_386.s through go_asm.h (const_NAME); never
// hand-copy these numbers into assembly.
const (
	kernBase    = bootinfo.KernBase
	bootMagic   = bootinfo.Magic
	bootVersion = bootinfo.Version
	bootSize    = bootinfo.Size
	cmdlineSize = bootinfo.CmdlineSize

	biMagic        = unsafe.Offsetof(bootinfo.Info{}.Magic)
	biVersion      = unsafe.Offsetof(bootinfo.Info{}.Version)
	biSize         = unsafe.Offsetof(bootinfo.Info{}.Size)
	biMemUsableKiB = unsafe.Offsetof(bootinfo.Info{}.MemUsableKiB)
	biInitrdSize   = unsafe.Offsetof(bootinfo.Info{}.InitrdSize)
	biSymtabSize   = unsafe.Offsetof(bootinfo.Info{}.SymtabSize)
	biCmdline      = unsafe.Offsetof(bootinfo.Info{}.Cmdline)

	com1      = 0x3F8 // 16550 UART
	debugExit = 0xF4  // QEMU isa-debug-exit: guest value v -> host status (v<<1)|1
)

// Messages printed by kentry. Package-level string variables initialised with
// constants are laid out statically by the compiler (pointer, length), so the
// assembly can use them before the runtime exists.
var (
	banner   = "gojos 0.1 (i386): kernel entry reached\n"
	msgOK    = "gojos: bootinfo ok: "
	msgMiB   = " MiB usable, initrd "
	msgBytes = " bytes, "
	msgSyms  = " symbols\ngojos: cmdline: "
	msgDone  = "\ngojos: entry test done, exiting\n"
	msgBad   = "gojos: bad boot magic or bootinfo, exiting\n"
)
