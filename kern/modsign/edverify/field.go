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
// much), and the loops keep the code small: under emulation, translating
// unrolled field arithmetic cost more than running it.
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

// add sets r = a + b.
func (r *elem) add(a, b *elem) *elem {
	var c uint64
	for i := range r {
		t := uint64(a[i]) + uint64(b[i]) + c
		r[i] = uint32(t)
		c = t >> 32
	}
	r.fold(c)
	return r
}

// sub sets r = a - b.
func (r *elem) sub(a, b *elem) *elem {
	var borrow uint64
	for i := range r {
		d := uint64(a[i]) - uint64(b[i]) - borrow
		r[i] = uint32(d)
		borrow = (d >> 32) & 1
	}
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

// mul sets r = a * b.
func (r *elem) mul(a, b *elem) *elem {
	var w [16]uint32 // the 512-bit product
	for i := 0; i < 8; i++ {
		var c uint64
		ai := uint64(a[i])
		for j := 0; j < 8; j++ {
			t := ai*uint64(b[j]) + uint64(w[i+j]) + c
			w[i+j] = uint32(t)
			c = t >> 32
		}
		w[i+8] = uint32(c)
	}
	r.reduce(&w)
	return r
}

// square sets r = a * a: the 28 cross products once, doubled, plus the 8
// squares (36 multiplications against mul's 64; over half of a
// verification's field operations are squarings).
func (r *elem) square(a *elem) *elem {
	var w [16]uint32
	for i := 0; i < 7; i++ {
		var c uint64
		ai := uint64(a[i])
		for j := i + 1; j < 8; j++ {
			t := ai*uint64(a[j]) + uint64(w[i+j]) + c
			w[i+j] = uint32(t)
			c = t >> 32
		}
		w[i+8] = uint32(c)
	}
	// Double the cross products (their sum is below 2^511: no bit is
	// lost), then add the squares of the words.
	for i := 15; i > 0; i-- {
		w[i] = w[i]<<1 | w[i-1]>>31
	}
	w[0] <<= 1
	var c uint64
	for i := 0; i < 8; i++ {
		sq := uint64(a[i]) * uint64(a[i])
		t := uint64(w[2*i]) + uint64(uint32(sq)) + c
		w[2*i] = uint32(t)
		t = uint64(w[2*i+1]) + sq>>32 + t>>32
		w[2*i+1] = uint32(t)
		c = t >> 32
	}
	r.reduce(&w)
	return r
}

// reduce sets r to the 512-bit w modulo p, weakly: 2^256 = 38 (mod p), so
// r = low + 38 * high, then what carries out folds in again.
func (r *elem) reduce(w *[16]uint32) {
	var c uint64
	for i := 0; i < 8; i++ {
		t := uint64(w[i]) + uint64(w[i+8])*38 + c
		r[i] = uint32(t)
		c = t >> 32
	}
	r.fold(c)
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
