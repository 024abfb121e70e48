package kpatch

import "strings"

// appendHex appends a formatted as %#x does (strconv's 64-bit formatting
// is several times slower on 386).
func appendHex(b []byte, a uint32) []byte {
	var d [10]byte
	i := len(d)
	for {
		i--
		d[i] = "0123456789abcdef"[a&0xF]
		if a >>= 4; a == 0 {
			break
		}
	}
	i -= 2
	d[i], d[i+1] = '0', 'x'
	return append(b, d[i:]...)
}

// patchedLine is a patch's answer, "patched T (0x…) -> R (0x…)VIA: SIG",
// written once into a buffer that becomes the string: a benchmark patches
// thousands of times, and joining the pieces cost more than the rest of
// the answer.
func patchedLine(target string, taddr uint32, repl string, raddr uint32, via, sig string) string {
	var b strings.Builder
	b.Grow(len("patched  (0x12345678) ->  (0x12345678): \n") + len(target) + len(repl) + len(via) + len(sig))
	var h [10]byte
	b.WriteString("patched ")
	b.WriteString(target)
	b.WriteString(" (")
	b.Write(appendHex(h[:0], taddr))
	b.WriteString(") -> ")
	b.WriteString(repl)
	b.WriteString(" (")
	b.Write(appendHex(h[:0], raddr))
	b.WriteString(")")
	b.WriteString(via)
	b.WriteString(": ")
	b.WriteString(sig)
	b.WriteString("\n")
	return b.String()
}

// unpatchedLine is an unpatch's answer, "unpatched T: removed the patch to
// WHAT", built as patchedLine.
func unpatchedLine(target, what string) string {
	var b strings.Builder
	b.Grow(len("unpatched : removed the patch to \n") + len(target) + len(what))
	b.WriteString("unpatched ")
	b.WriteString(target)
	b.WriteString(": removed the patch to ")
	b.WriteString(what)
	b.WriteString("\n")
	return b.String()
}
