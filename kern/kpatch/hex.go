package kpatch

// hex formats an address as %#x does (strconv's 64-bit formatting is
// several times slower on 386).
func hex(a uint32) string {
	var b [10]byte
	i := len(b)
	for {
		i--
		b[i] = "0123456789abcdef"[a&0xF]
		if a >>= 4; a == 0 {
			break
		}
	}
	i -= 2
	b[i], b[i+1] = '0', 'x'
	return string(b[i:])
}
