package edverify

// point is a point of the twisted Edwards curve -x^2 + y^2 = 1 + d x^2 y^2
// in extended coordinates: x = X/Z, y = Y/Z, x*y = T/Z.
type point struct{ x, y, z, t elem }

// cached is a point prepared for additions: Y+X, Y-X, 2Z and 2dT.
type cached struct{ yPlusX, yMinusX, z2, t2d elem }

// basePoint is B, the generator (RFC 8032 section 5.1).
var basePoint = point{
	x: elem{0x8f25d51a, 0xc9562d60, 0x9525a7b2, 0x692cc760, 0xfdd6dc5c, 0xc0a4e231, 0xcd6e53fe, 0x216936d3},
	y: elem{0x66666658, 0x66666666, 0x66666666, 0x66666666, 0x66666666, 0x66666666, 0x66666666, 0x66666666},
	z: feOne,
	t: elem{0xa5b7dda3, 0x6dde8ab3, 0x775152f5, 0x20f09f80, 0x64abe37d, 0x66ea4e8e, 0xd78b7665, 0x67875f0f},
}

// identity sets p to the neutral element (0, 1).
func (p *point) identity() { *p = point{y: feOne, z: feOne, t: feZero} }

// setBytes decodes a point as crypto/ed25519 does (RFC 8032 section 5.1.3,
// except that non-canonical encodings of valid points are accepted: y of p
// or more, and x = 0 with the sign bit set). It reports whether b encodes
// a point.
func (p *point) setBytes(b []byte) bool {
	var y, y2, u, v, x elem
	y.setBytes(b)
	y2.square(&y)
	u.sub(&y2, &feOne) // u = y^2 - 1
	v.mul(&y2, &feD)
	v.add(&v, &feOne) // v = d y^2 + 1
	if !x.sqrtRatio(&u, &v) {
		return false
	}
	if x.isNegative() != (b[31]>>7 == 1) {
		x.neg(&x)
	}
	p.x, p.y, p.z = x, y, feOne
	p.t.mul(&x, &y)
	return true
}

// bytes encodes p: y with the sign of x in the top bit.
func (p *point) bytes() [32]byte {
	var zi, x, y elem
	zi.invert(&p.z)
	x.mul(&p.x, &zi)
	y.mul(&p.y, &zi)
	b := y.bytes()
	if x.isNegative() {
		b[31] |= 0x80
	}
	return b
}

// neg sets p = -q.
func (p *point) neg(q *point) {
	p.x.neg(&q.x)
	p.y, p.z = q.y, q.z
	p.t.neg(&q.t)
}

// cache prepares p for additions.
func (c *cached) from(p *point) {
	c.yPlusX.add(&p.y, &p.x)
	c.yMinusX.sub(&p.y, &p.x)
	c.z2.add(&p.z, &p.z)
	c.t2d.mul(&p.t, &feD2)
}

// add sets p = a + q, or a - q when minus (the "add-2008-hwcd-3" formulas
// for a = -1, with q cached; negating q swaps Y+X and Y-X and negates 2dT).
func (p *point) add(a *point, q *cached, minus bool) {
	yPlusX, yMinusX := &q.yPlusX, &q.yMinusX
	var t2d elem
	if minus {
		yPlusX, yMinusX = yMinusX, yPlusX
		t2d.neg(&q.t2d)
	} else {
		t2d = q.t2d
	}
	var pp, mm, tt, zz, e, f, g, h elem
	pp.add(&a.y, &a.x)
	pp.mul(&pp, yPlusX) // (Y1+X1)(Y2+X2)
	mm.sub(&a.y, &a.x)
	mm.mul(&mm, yMinusX) // (Y1-X1)(Y2-X2)
	tt.mul(&a.t, &t2d)   // 2d T1 T2
	zz.mul(&a.z, &q.z2)  // 2 Z1 Z2
	e.sub(&pp, &mm)
	f.sub(&zz, &tt)
	g.add(&zz, &tt)
	h.add(&pp, &mm)
	p.x.mul(&e, &f)
	p.y.mul(&g, &h)
	p.t.mul(&e, &h)
	p.z.mul(&f, &g)
}

// double sets p = 2a ("dbl-2008-hwcd" for a = -1). withT false leaves
// p.t stale: doubling does not read T, so a doubling followed by another
// saves a multiplication (only an addition needs T).
func (p *point) double(a *point, withT bool) {
	var xx, yy, zz2, s, e, f, g, h elem
	xx.square(&a.x)
	yy.square(&a.y)
	zz2.square(&a.z)
	zz2.add(&zz2, &zz2) // 2 Z^2
	s.add(&a.x, &a.y)
	s.square(&s)
	e.sub(&s, &xx)
	e.sub(&e, &yy)  // 2XY
	g.sub(&yy, &xx) // Y^2 - X^2 (= a X^2 + Y^2 with a = -1)
	f.sub(&g, &zz2)
	h.neg(&xx)
	h.sub(&h, &yy) // -X^2 - Y^2
	p.x.mul(&e, &f)
	p.y.mul(&g, &h)
	if withT {
		p.t.mul(&e, &h)
	}
	p.z.mul(&f, &g)
}

// oddMultiples fills t with P, 3P, 5P, ..., 15P, cached.
func oddMultiples(t *[8]cached, p *point) {
	var p2, acc point
	var c2 cached
	p2.double(p, true)
	c2.from(&p2)
	acc = *p
	t[0].from(&acc)
	for i := 1; i < len(t); i++ {
		acc.add(&acc, &c2, false)
		t[i].from(&acc)
	}
}

// doubleScalarMult returns [a]A + [b]B for scalars given as width-5 NAFs
// (digits odd and in -15..15, or 0) and the points' odd multiples
// (oddMultiples), in variable time.
func doubleScalarMult(na *[257]int8, ta *[8]cached, nb *[257]int8, tb *[8]cached) point {
	var r point
	r.identity()
	top := len(na) - 1
	for top >= 0 && na[top] == 0 && nb[top] == 0 {
		top--
	}
	for i := top; i >= 0; i-- {
		r.double(&r, na[i] != 0 || nb[i] != 0)
		if d := na[i]; d > 0 {
			r.add(&r, &ta[d/2], false)
		} else if d < 0 {
			r.add(&r, &ta[-d/2], true)
		}
		if d := nb[i]; d > 0 {
			r.add(&r, &tb[d/2], false)
		} else if d < 0 {
			r.add(&r, &tb[-d/2], true)
		}
	}
	return r
}
