package proc

// Kernel addresses are hidden from unprivileged readers, as Linux's
// kptr_restrict=1 does: /proc/kallsyms, /proc/modules, /proc/livepatch and
// the answers of the read-only SYS_gojos_ctl requests (ksyms, kpatch -l,
// kpatch -d, livepatch list and info) show them as zeros to a process whose
// euid is not 0.

// MinKernelAddr is the smallest number hidden: kernel and module memory
// lies from linux.KernelWindow up, and what lies above 4 MiB below it are
// user addresses; a smaller number is an offset, a size or a count, and is
// left alone.
const MinKernelAddr = 4 << 20

// addrFiles are the /proc files (below /proc) that show kernel addresses.
var addrFiles = map[string]bool{"kallsyms": true, "modules": true, "livepatch": true}

// HideAddrs returns s with every kernel address zeroed, keeping its width
// (so a file's size does not change): each 0x-prefixed hexadecimal number of
// at least MinKernelAddr, and the bare 8-digit hexadecimal field that starts
// a line of /proc/kallsyms ("c0100000 T name") or of a disassembly
// ("c0100000:\t...").
func HideAddrs(s string) string {
	b := []byte(s)
	lineStart := true
	for i := 0; i < len(b); {
		if lineStart {
			lineStart = false
			if n := hexRun(b[i:]); n == 8 && i+8 < len(b) && (b[i+8] == ' ' || b[i+8] == ':' || b[i+8] == '\t') {
				zero(b[i : i+8])
				i += 8
				continue
			}
		}
		switch {
		case b[i] == '\n':
			lineStart = true
			i++
		case b[i] == '0' && i+1 < len(b) && (b[i+1] == 'x' || b[i+1] == 'X') && (i == 0 || !isWordByte(b[i-1])):
			n := hexRun(b[i+2:])
			if n > 0 && hexValue(b[i+2:i+2+n]) >= MinKernelAddr {
				zero(b[i+2 : i+2+n])
			}
			i += 2 + n
		default:
			i++
		}
	}
	return string(b)
}

func hexDigit(c byte) (uint64, bool) {
	switch {
	case c >= '0' && c <= '9':
		return uint64(c - '0'), true
	case c >= 'a' && c <= 'f':
		return uint64(c-'a') + 10, true
	case c >= 'A' && c <= 'F':
		return uint64(c-'A') + 10, true
	}
	return 0, false
}

// hexRun is the number of hexadecimal digits at the start of b.
func hexRun(b []byte) int {
	n := 0
	for n < len(b) {
		if _, ok := hexDigit(b[n]); !ok {
			break
		}
		n++
	}
	return n
}

// hexValue is b's value, saturating above 2^60 (any such is an address).
func hexValue(b []byte) uint64 {
	var v uint64
	for _, c := range b {
		d, _ := hexDigit(c)
		if v >= 1<<60 {
			return v
		}
		v = v<<4 | d
	}
	return v
}

func isWordByte(c byte) bool {
	_, hex := hexDigit(c)
	return hex || c >= 'g' && c <= 'z' || c >= 'G' && c <= 'Z' || c == '_'
}

func zero(b []byte) {
	for i := range b {
		b[i] = '0'
	}
}
