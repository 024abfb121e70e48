package functab

// The kernel carries its own image hash (elfbuild.ImageHash), so that
// checking /boot/functab against the running kernel is a comparison instead
// of a SHA-256 over several MiB of text at the first kpatch or kcall (a
// third of a second or more under QEMU's TCG). The kernel declares a
// [32]byte variable whose initial value is StampMarker (which puts it in
// .noptrdata, outside the hashed .text and .gopclntab), and tools/mkimage
// writes the ELF's image hash over it (elfbuild.Stamp) when it builds the
// disk image.

// StampSymbol is the kernel variable that elfbuild.Stamp fills.
const StampSymbol = "gojos/kern/kpatch.builtImageHash"

// StampMarker is that variable's value in the linked kernel, before it is
// stamped.
const StampMarker = "gojos: image hash to be stamped."
