package kpatch

import "gojos/kern/functab"

// builtImageHash is this kernel's image hash (elfbuild.ImageHash), written
// into the kernel ELF by tools/mkimage (elfbuild.Stamp) when it builds the
// disk image: checking /boot/functab against the running kernel is then a
// comparison instead of a SHA-256 over the kernel's text. Its initial value
// is functab.StampMarker, which also places it in .noptrdata, outside the
// hashed sections.
var builtImageHash = [32]byte{
	'g', 'o', 'j', 'o', 's', ':', ' ', 'i', 'm', 'a', 'g', 'e', ' ', 'h', 'a', 's', 'h', ' ', 't', 'o', ' ', 'b', 'e', ' ', 's', 't', 'a', 'm', 'p', 'e', 'd', '.',
}

// stampedImageHash returns the image hash mkimage wrote into this kernel;
// ok is false for a kernel booted from an image that did not stamp it.
func stampedImageHash() (h [32]byte, ok bool) {
	h = builtImageHash
	return h, string(h[:]) != functab.StampMarker
}
