package functab

import (
	"encoding/binary"
	"math/bits"
)

// checksum is a table's integrity check: one multiply-and-mix step per
// little-endian 32-bit word (the last one padded with zeros), from a state
// seeded with the length. Each step is a bijection of the state, so any
// change within one word, or of the length, always changes the result;
// other damage escapes with a chance of about 2^-32. It needs no table:
// hash/crc32 built an 8 KiB one at its first use, which with the CRC
// itself was several million instructions of every boot under emulation,
// against about seven per word here.
func checksum(b []byte) uint32 {
	h := 0x811c9dc5 ^ uint32(len(b))*0x9E3779B1
	n := len(b) &^ 3
	i := 0
	for ; i+16 <= n; i += 16 { // four words per bounds check
		w := b[i : i+16 : i+16]
		h = mix(h, binary.LittleEndian.Uint32(w[0:4]))
		h = mix(h, binary.LittleEndian.Uint32(w[4:8]))
		h = mix(h, binary.LittleEndian.Uint32(w[8:12]))
		h = mix(h, binary.LittleEndian.Uint32(w[12:16]))
	}
	for ; i < n; i += 4 {
		h = mix(h, binary.LittleEndian.Uint32(b[i:i+4]))
	}
	if n < len(b) {
		var last [4]byte
		copy(last[:], b[n:])
		h = mix(h, binary.LittleEndian.Uint32(last[:]))
	}
	return h
}

// mix folds w into h: the xor and the odd multiplier are bijections, and
// the rotation carries the product's high bits back down (a multiply alone
// never moves a change to lower bits).
func mix(h, w uint32) uint32 {
	return bits.RotateLeft32((h^w)*0x01000193, 13)
}
