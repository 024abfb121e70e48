package kpatch

// hex formats an address as %#x does (strconv's 64-bit formatting is
// several times slower on 386).
func hex(a uint32) string { return string(appendHex(nil, a)) }

// appendHex appends a formatted as %#x does.
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
// built in one buffer: a patch is answered thousands of times in a
// benchmark, and concatenating the pieces cost more than the rest of
// the answer.
func patchedLine(target string, taddr uint32, repl string, raddr uint32, via, sig string) string {
	b := make([]byte, 0, len("patched  (0x12345678) ->  (0x12345678): \n")+len(target)+len(repl)+len(via)+len(sig))
	b = append(b, "patched "...)
	b = append(b, target...)
	b = append(b, " ("...)
	b = appendHex(b, taddr)
	b = append(b, ") -> "...)
	b = append(b, repl...)
	b = append(b, " ("...)
	b = appendHex(b, raddr)
	b = append(b, ')')
	b = append(b, via...)
	b = append(b, ": "...)
	b = append(b, sig...)
	b = append(b, '\n')
	return string(b)
}
