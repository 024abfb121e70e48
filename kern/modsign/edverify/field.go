package edverify

import "encoding/binary"

// elem is an element of GF(p), p = 2^255 - 19, as eight 32-bit words,
// least significant first. Its value is below 2^256 but not necessarily
// below p: every operation accepts and returns such "weakly reduced"
// values, and only bytes reduces fully. Since 2^256 = 2*(2^255 - 19) + 38,
// a carry out of the top word is worth 38.
//
// The words are multiplied 32x32 -> 64 bits, one MUL on i386 (the 64-bit
// limbs of the usual 64-bit implementations cost a 386 several times as
// much). Additions, subtractions, squarings and the rows of a
// multiplication are written out word by word: loops over the words spent
// more instructions on counters, bounds and spilled indexes than on the
// arithmetic (a product cost 19 instructions in a loop, under 14 in a row
// written out).
type elem [8]uint32

// The constants are written as words so that the linker lays them out as
// data (TestConstants checks them against their hex encodings).
var (
	feZero = elem{}
	feOne  = elem{1}
	// feD is the curve constant d = -121665/121666.
	feD = elem{0x135978a3, 0x75eb4dca, 0x4141d8ab, 0x00700a4d, 0x7779e898, 0x8cc74079, 0x2b6ffe73, 0x52036cee}
	// feD2 is 2d.
	feD2 = elem{0x26b2f159, 0xebd69b94, 0x8283b156, 0x00e0149a, 0xeef3d130, 0x198e80f2, 0x56dffce7, 0x2406d9dc}
	// feSqrtM1 is a square root of -1: 2^((p-1)/4).
	feSqrtM1 = elem{0x4a0ea0b0, 0xc4ee1b27, 0xad2fe478, 0x2f431806, 0x3dfbd7a7, 0x2b4d0099, 0x4fc1df0b, 0x2b832480}
)

// setBytes sets e from 32 little-endian bytes, ignoring the top bit (the
// sign of x in a point encoding). A value of p or more is accepted, as
// crypto/ed25519 accepts it, and means itself modulo p.
func (e *elem) setBytes(b []byte) {
	for i := range e {
		e[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	e[7] &= 0x7fffffff
}

// bytes returns the canonical encoding: the value modulo p, little-endian.
func (e *elem) bytes() [32]byte {
	v := *e
	// v < 2^256 < 3p: subtracting p while v >= p ends in two steps.
	for v.geP() {
		v.subP()
	}
	var b [32]byte
	for i := range v {
		binary.LittleEndian.PutUint32(b[4*i:], v[i])
	}
	return b
}

// p's words.
var feP = elem{0xffffffed, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x7fffffff}

func (e *elem) geP() bool {
	for i := 7; i >= 0; i-- {
		if e[i] != feP[i] {
			return e[i] > feP[i]
		}
	}
	return true
}

func (e *elem) subP() {
	var borrow uint64
	for i := range e {
		d := uint64(e[i]) - uint64(feP[i]) - borrow
		e[i] = uint32(d)
		borrow = (d >> 32) & 1
	}
}

// equal reports whether a and b are the same element of GF(p).
func (a *elem) equal(b *elem) bool { return a.bytes() == b.bytes() }

// isNegative reports whether the canonical value is odd (the "sign" of x
// in an encoding).
func (e *elem) isNegative() bool { b := e.bytes(); return b[0]&1 == 1 }

// fold adds c * 38 (c carries out of the top word) back into r.
func (r *elem) fold(c uint64) {
	for c != 0 {
		t := uint64(r[0]) + c*38
		r[0] = uint32(t)
		c = t >> 32
		for i := 1; i < 8 && c != 0; i++ {
			t = uint64(r[i]) + c
			r[i] = uint32(t)
			c = t >> 32
		}
		// A carry out of the top word again is worth 38 again; it can
		// happen once at most (r is then tiny).
	}
}

// subb returns x - y - b as a difference word and a borrow (0 or 1).
func subb(x, y, b uint32) (diff, borrow uint32) {
	d := uint64(x) - uint64(y) - uint64(b)
	return uint32(d), uint32(d>>32) & 1
}

// mac returns x*y + acc + c as a low and a high word; the sum fits in 64
// bits ((2^32-1)^2 + 2(2^32-1) = 2^64-1). Inlined, it is one MUL and two
// add-with-carry pairs on i386.
func mac(x, y, acc, c uint32) (lo, hi uint32) {
	t := uint64(x)*uint64(y) + uint64(acc) + uint64(c)
	return uint32(t), uint32(t >> 32)
}

// addc returns x + y + c as a sum word and a carry (0 or 1).
func addc(x, y, c uint32) (sum, carry uint32) {
	t := uint64(x) + uint64(y) + uint64(c)
	return uint32(t), uint32(t >> 32)
}

// add sets r = a + b.
func (r *elem) add(a, b *elem) *elem {
	var c uint32
	r[0], c = addc(a[0], b[0], 0)
	r[1], c = addc(a[1], b[1], c)
	r[2], c = addc(a[2], b[2], c)
	r[3], c = addc(a[3], b[3], c)
	r[4], c = addc(a[4], b[4], c)
	r[5], c = addc(a[5], b[5], c)
	r[6], c = addc(a[6], b[6], c)
	r[7], c = addc(a[7], b[7], c)
	r.fold(uint64(c))
	return r
}

// sub sets r = a - b.
func (r *elem) sub(a, b *elem) *elem {
	var w uint32
	r[0], w = subb(a[0], b[0], 0)
	r[1], w = subb(a[1], b[1], w)
	r[2], w = subb(a[2], b[2], w)
	r[3], w = subb(a[3], b[3], w)
	r[4], w = subb(a[4], b[4], w)
	r[5], w = subb(a[5], b[5], w)
	r[6], w = subb(a[6], b[6], w)
	r[7], w = subb(a[7], b[7], w)
	borrow := uint64(w)
	// A borrow means r = a - b + 2^256, which is a - b + 38 modulo p:
	// take 38 away (which can borrow again, once at most).
	for borrow != 0 {
		d := uint64(r[0]) - 38
		r[0] = uint32(d)
		borrow = (d >> 32) & 1
		for i := 1; i < 8 && borrow != 0; i++ {
			d = uint64(r[i]) - 1
			r[i] = uint32(d)
			borrow = (d >> 32) & 1
		}
	}
	return r
}

// neg sets r = -a.
func (r *elem) neg(a *elem) *elem { return r.sub(&feZero, a) }

// mul sets r = a * b: for each word of a, a row of eight products written
// out. The rows stay a loop: the 64 products written out whole would be
// some 700 instructions more for QEMU to translate, once per boot (a row
// is about 110), and would save only the loop's counter.
func (r *elem) mul(a, b *elem) *elem {
	var w [16]uint32 // the 512-bit product
	b0, b1, b2, b3, b4, b5, b6, b7 := b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]
	for i := 0; i < 8; i++ {
		x := a[i]
		row := (*[9]uint32)(w[i : i+9])
		var c uint32
		row[0], c = mac(x, b0, row[0], 0)
		row[1], c = mac(x, b1, row[1], c)
		row[2], c = mac(x, b2, row[2], c)
		row[3], c = mac(x, b3, row[3], c)
		row[4], c = mac(x, b4, row[4], c)
		row[5], c = mac(x, b5, row[5], c)
		row[6], c = mac(x, b6, row[6], c)
		row[7], c = mac(x, b7, row[7], c)
		row[8] = c
	}
	r.reduce(&w)
	return r
}

// square sets r = a * a: the 28 cross products once, doubled, plus the 8
// squares (36 multiplications against mul's 64; over half of a
// verification's field operations are squarings), all written out.
func (r *elem) square(a *elem) *elem {
	a0, a1, a2, a3, a4, a5, a6, a7 := a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]
	var w [16]uint32
	var c uint32
	// The cross products a[i]*a[j], i < j, at w[i+j], row by row.
	w[1], c = mac(a0, a1, 0, 0)
	w[2], c = mac(a0, a2, 0, c)
	w[3], c = mac(a0, a3, 0, c)
	w[4], c = mac(a0, a4, 0, c)
	w[5], c = mac(a0, a5, 0, c)
	w[6], c = mac(a0, a6, 0, c)
	w[7], c = mac(a0, a7, 0, c)
	w[8] = c
	w[3], c = mac(a1, a2, w[3], 0)
	w[4], c = mac(a1, a3, w[4], c)
	w[5], c = mac(a1, a4, w[5], c)
	w[6], c = mac(a1, a5, w[6], c)
	w[7], c = mac(a1, a6, w[7], c)
	w[8], c = mac(a1, a7, w[8], c)
	w[9] = c
	w[5], c = mac(a2, a3, w[5], 0)
	w[6], c = mac(a2, a4, w[6], c)
	w[7], c = mac(a2, a5, w[7], c)
	w[8], c = mac(a2, a6, w[8], c)
	w[9], c = mac(a2, a7, w[9], c)
	w[10] = c
	w[7], c = mac(a3, a4, w[7], 0)
	w[8], c = mac(a3, a5, w[8], c)
	w[9], c = mac(a3, a6, w[9], c)
	w[10], c = mac(a3, a7, w[10], c)
	w[11] = c
	w[9], c = mac(a4, a5, w[9], 0)
	w[10], c = mac(a4, a6, w[10], c)
	w[11], c = mac(a4, a7, w[11], c)
	w[12] = c
	w[11], c = mac(a5, a6, w[11], 0)
	w[12], c = mac(a5, a7, w[12], c)
	w[13] = c
	w[13], c = mac(a6, a7, w[13], 0)
	w[14] = c
	// Double them (their sum is below 2^511: no bit is lost; w[0] and
	// w[15] are still 0), then add the squares of the words.
	w[15] = w[14] >> 31
	w[14] = w[14]<<1 | w[13]>>31
	w[13] = w[13]<<1 | w[12]>>31
	w[12] = w[12]<<1 | w[11]>>31
	w[11] = w[11]<<1 | w[10]>>31
	w[10] = w[10]<<1 | w[9]>>31
	w[9] = w[9]<<1 | w[8]>>31
	w[8] = w[8]<<1 | w[7]>>31
	w[7] = w[7]<<1 | w[6]>>31
	w[6] = w[6]<<1 | w[5]>>31
	w[5] = w[5]<<1 | w[4]>>31
	w[4] = w[4]<<1 | w[3]>>31
	w[3] = w[3]<<1 | w[2]>>31
	w[2] = w[2]<<1 | w[1]>>31
	w[1] <<= 1
	var hi uint32
	w[0], hi = mac(a0, a0, 0, 0)
	w[1], c = addc(w[1], hi, 0)
	w[2], hi = mac(a1, a1, w[2], c)
	w[3], c = addc(w[3], hi, 0)
	w[4], hi = mac(a2, a2, w[4], c)
	w[5], c = addc(w[5], hi, 0)
	w[6], hi = mac(a3, a3, w[6], c)
	w[7], c = addc(w[7], hi, 0)
	w[8], hi = mac(a4, a4, w[8], c)
	w[9], c = addc(w[9], hi, 0)
	w[10], hi = mac(a5, a5, w[10], c)
	w[11], c = addc(w[11], hi, 0)
	w[12], hi = mac(a6, a6, w[12], c)
	w[13], c = addc(w[13], hi, 0)
	w[14], hi = mac(a7, a7, w[14], c)
	w[15], _ = addc(w[15], hi, 0) // the square is below 2^512: no carry out
	r.reduce(&w)
	return r
}

// reduce sets r to the 512-bit w modulo p, weakly: 2^256 = 38 (mod p), so
// r = low + 38 * high, then what carries out folds in again.
func (r *elem) reduce(w *[16]uint32) {
	var c uint32
	r[0], c = mac(w[8], 38, w[0], 0)
	r[1], c = mac(w[9], 38, w[1], c)
	r[2], c = mac(w[10], 38, w[2], c)
	r[3], c = mac(w[11], 38, w[3], c)
	r[4], c = mac(w[12], 38, w[4], c)
	r[5], c = mac(w[13], 38, w[5], c)
	r[6], c = mac(w[14], 38, w[6], c)
	r[7], c = mac(w[15], 38, w[7], c)
	r.fold(uint64(c))
}

// pow sets r = a^e, e a little-endian 256-bit exponent, with a 4-bit fixed
// window: 252 squarings and at most 64 multiplications.
func (r *elem) pow(a *elem, e *[32]byte) *elem {
	var table [16]elem
	table[0] = feOne
	for i := 1; i < 16; i++ {
		table[i].mul(&table[i-1], a)
	}
	acc := feOne
	for i := 63; i >= 0; i-- {
		if i != 63 {
			for k := 0; k < 4; k++ {
				acc.square(&acc)
			}
		}
		nib := e[i/2] >> (4 * uint(i%2)) & 0xf
		if nib != 0 {
			acc.mul(&acc, &table[nib])
		}
	}
	*r = acc
	return r
}

var (
	// expInvert is p - 2 (inversion by Fermat's little theorem).
	expInvert = [32]byte{0xeb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}
	// expSqrt is (p - 5) / 8, for square roots.
	expSqrt = [32]byte{0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f}
)

// invert sets r = 1/a (0 for a = 0).
func (r *elem) invert(a *elem) *elem { return r.pow(a, &expInvert) }

// sqrtRatio sets r to a square root of u/v and reports whether u/v is a
// square (RFC 8032 section 5.1.3: x = u v^3 (u v^7)^((p-5)/8), fixed up
// by sqrt(-1) when v x^2 = -u). When it is not, r is unspecified.
func (r *elem) sqrtRatio(u, v *elem) bool {
	var v3, v7, t, x, vx2, negU elem
	v3.square(v)
	v3.mul(&v3, v) // v^3
	v7.square(&v3) // v^6
	v7.mul(&v7, v) // v^7
	t.mul(u, &v7)  // u v^7
	t.pow(&t, &expSqrt)
	x.mul(u, &v3)
	x.mul(&x, &t) // u v^3 (u v^7)^((p-5)/8)
	vx2.square(&x)
	vx2.mul(&vx2, v)
	negU.neg(u)
	switch {
	case vx2.equal(u):
	case vx2.equal(&negU):
		x.mul(&x, &feSqrtM1)
	default:
		return false
	}
	*r = x
	return true
}
