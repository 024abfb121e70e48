package edverify

import "encoding/binary"

// Scalars modulo the group order L = 2^252 + 27742317777372353535851937790883648493,
// as eight 32-bit words, least significant first.
type scalar [8]uint32

var orderL = scalar{0x5cf5d3ed, 0x5812631a, 0xa2f79cd6, 0x14def9de, 0, 0, 0, 0x10000000}

// less reports whether a < b.
func (a *scalar) less(b *scalar) bool {
	for i := 7; i >= 0; i-- {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

// canonicalScalar decodes 32 little-endian bytes and reports whether the
// value is below L (RFC 8032's check on S).
func canonicalScalar(b []byte) (scalar, bool) {
	var s scalar
	for i := range s {
		s[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	return s, s.less(&orderL)
}

// reduceWide returns a 64-byte little-endian number modulo L, by binary
// long division: one bit at a time from the top, the remainder stays below
// L < 2^253 and so fits a scalar after each doubling.
func reduceWide(b *[64]byte) scalar {
	var r scalar
	for i := 511; i >= 0; i-- {
		// r = 2r + bit
		c := uint32(b[i/8]>>(uint(i)%8)) & 1
		for k := range r {
			next := r[k] >> 31
			r[k] = r[k]<<1 | c
			c = next
		}
		if !r.less(&orderL) {
			var borrow uint64
			for k := range r {
				d := uint64(r[k]) - uint64(orderL[k]) - borrow
				r[k] = uint32(d)
				borrow = (d >> 32) & 1
			}
		}
	}
	return r
}

// naf returns s in width-5 non-adjacent form: digits odd in -15..15 or 0,
// any five consecutive of them holding one non-zero at most, s = sum of
// digit[i] 2^i. s < 2^253, so 257 digits always suffice.
func (s *scalar) naf() [257]int8 {
	var out [257]int8
	var k [9]uint32 // room for the carries of negative digits
	copy(k[:], s[:])
	for i := 0; i < len(out); i++ {
		if k[0]&1 == 1 {
			d := int32(k[0] & 31)
			if d > 15 {
				d -= 32
			}
			out[i] = int8(d)
			// k -= d: subtract a positive digit, add a negative one's
			// magnitude; either way the low five bits become zero.
			if d > 0 {
				k[0] -= uint32(d) // no borrow: the low bits are d
			} else {
				c := uint64(-d)
				for j := 0; j < len(k) && c != 0; j++ {
					t := uint64(k[j]) + c
					k[j] = uint32(t)
					c = t >> 32
				}
			}
		}
		// k >>= 1
		for j := 0; j < len(k)-1; j++ {
			k[j] = k[j]>>1 | k[j+1]<<31
		}
		k[len(k)-1] >>= 1
	}
	return out
}
