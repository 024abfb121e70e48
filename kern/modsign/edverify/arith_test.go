package edverify

import (
	"math/big"
	"math/rand/v2"
	"testing"
)

var (
	bigP = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))
	bigL = func() *big.Int {
		l, _ := new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)
		return l
	}()
)

func elemBig(e *elem) *big.Int {
	b := make([]byte, 32)
	for i := range e {
		for k := 0; k < 4; k++ {
			b[31-(4*i+k)] = byte(e[i] >> (8 * k))
		}
	}
	return new(big.Int).SetBytes(b)
}

func bytesBig(le []byte) *big.Int {
	be := make([]byte, len(le))
	for i := range le {
		be[len(le)-1-i] = le[i]
	}
	return new(big.Int).SetBytes(be)
}

// randElem returns any value below 2^256, biased towards the edges
// (words of all ones or zeros) where carries and borrows happen.
func randElem(r *rand.Rand) elem {
	var e elem
	for i := range e {
		switch r.IntN(4) {
		case 0:
			e[i] = 0xffffffff
		case 1:
			e[i] = 0
		default:
			e[i] = r.Uint32()
		}
	}
	return e
}

func modP(x *big.Int) *big.Int { return new(big.Int).Mod(x, bigP) }

// TestFieldAgainstBig holds add, sub, neg, mul, invert, bytes and the
// constants to math/big's modular arithmetic.
func TestFieldAgainstBig(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	check := func(what string, got *elem, want *big.Int) {
		t.Helper()
		gb := got.bytes()
		if g := bytesBig(gb[:]); g.Cmp(modP(want)) != 0 {
			t.Fatalf("%s: got %x, want %x", what, g, modP(want))
		}
		if elemBig(got).BitLen() > 256 {
			t.Fatalf("%s: result above 2^256", what)
		}
	}
	for i := 0; i < 3000; i++ {
		a, b := randElem(r), randElem(r)
		ab, bb := elemBig(&a), elemBig(&b)
		var z elem
		check("add", z.add(&a, &b), new(big.Int).Add(ab, bb))
		check("sub", z.sub(&a, &b), new(big.Int).Sub(ab, bb))
		check("neg", z.neg(&a), new(big.Int).Neg(ab))
		check("mul", z.mul(&a, &b), new(big.Int).Mul(ab, bb))
		check("square", z.square(&a), new(big.Int).Mul(ab, ab))
		if i%20 == 0 {
			check("invert", z.invert(&a), new(big.Int).Exp(ab, new(big.Int).Sub(bigP, big.NewInt(2)), bigP))
		}
	}
	d := new(big.Int).Mul(big.NewInt(-121665), new(big.Int).ModInverse(big.NewInt(121666), bigP))
	check("d", &feD, d)
	check("2d", &feD2, new(big.Int).Lsh(d, 1))
	sq := new(big.Int).Exp(feSqrtM1Big(), big.NewInt(2), bigP)
	if sq.Cmp(modP(big.NewInt(-1))) != 0 {
		t.Fatal("feSqrtM1 squared is not -1")
	}
}

func feSqrtM1Big() *big.Int { return elemBig(&feSqrtM1) }

func TestSqrtRatio(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	squares := 0
	for i := 0; i < 200; i++ {
		u, v := randElem(r), randElem(r)
		var x elem
		ub, vb := modP(elemBig(&u)), modP(elemBig(&v))
		if vb.Sign() == 0 {
			continue
		}
		ratio := new(big.Int).Mul(ub, new(big.Int).ModInverse(vb, bigP))
		ratio.Mod(ratio, bigP)
		isSquare := new(big.Int).ModSqrt(ratio, bigP) != nil
		if got := x.sqrtRatio(&u, &v); got != isSquare {
			t.Fatalf("sqrtRatio(%x, %x) square = %v, want %v", ub, vb, got, isSquare)
		} else if got {
			squares++
			var x2 elem
			x2.square(&x)
			xb := x2.bytes()
			if bytesBig(xb[:]).Cmp(ratio) != 0 {
				t.Fatalf("sqrtRatio(%x, %x)^2 = %x, want %x", ub, vb, bytesBig(xb[:]), ratio)
			}
		}
	}
	if squares == 0 {
		t.Fatal("no square met")
	}
}

func TestScalars(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 500; i++ {
		var w [64]byte
		for j := range w {
			w[j] = byte(r.Uint32())
		}
		if i == 0 {
			for j := range w {
				w[j] = 0xff
			}
		}
		s := reduceWide(&w)
		sb := make([]byte, 32)
		for k := range s {
			for b := 0; b < 4; b++ {
				sb[4*k+b] = byte(s[k] >> (8 * b))
			}
		}
		want := new(big.Int).Mod(bytesBig(w[:]), bigL)
		if bytesBig(sb).Cmp(want) != 0 {
			t.Fatalf("reduceWide: got %x, want %x", bytesBig(sb), want)
		}
		if _, ok := canonicalScalar(sb); !ok {
			t.Fatal("a reduced scalar is not canonical")
		}
		// The NAF adds up to the scalar, with odd digits in -15..15 and
		// at most one non-zero digit in any five in a row.
		naf := s.naf()
		sum := new(big.Int)
		last := -5
		for k := len(naf) - 1; k >= 0; k-- {
			sum.Lsh(sum, 1)
			sum.Add(sum, big.NewInt(int64(naf[k])))
		}
		for k, d := range naf {
			if d == 0 {
				continue
			}
			if d%2 == 0 || d > 15 || d < -15 || k-last < 5 {
				t.Fatalf("NAF digit %d at %d (previous at %d)", d, k, last)
			}
			last = k
		}
		if sum.Cmp(want) != 0 {
			t.Fatalf("NAF sums to %x, want %x", sum, want)
		}
	}
	l := make([]byte, 32)
	copy(l, bigL.FillBytes(make([]byte, 32)))
	for i, j := 0, 31; i < j; i, j = i+1, j-1 {
		l[i], l[j] = l[j], l[i]
	}
	if _, ok := canonicalScalar(l); ok {
		t.Fatal("L is canonical")
	}
	l[0]--
	if _, ok := canonicalScalar(l); !ok {
		t.Fatal("L-1 is not canonical")
	}
}

// TestBasePoint: B encodes as RFC 8032's base point, 2B computed by
// doubling and by adding agree, and [L]B is the identity.
func TestBasePoint(t *testing.T) {
	b := basePoint.bytes()
	want := mustHex(t, "5866666666666666666666666666666666666666666666666666666666666666")
	if string(b[:]) != string(want) {
		t.Fatalf("B encodes as %x", b)
	}
	var dbl, sum point
	var c cached
	dbl.double(&basePoint, true)
	c.from(&basePoint)
	sum.add(&basePoint, &c, false)
	if dbl.bytes() != sum.bytes() {
		t.Fatal("B+B != 2B")
	}
	// Without T the other coordinates are the same, and a later doubling
	// (which does not read T) too.
	var noT, dbl2, noT2 point
	noT.double(&basePoint, false)
	if noT.x != dbl.x || noT.y != dbl.y || noT.z != dbl.z {
		t.Fatal("2B without T differs in X, Y or Z")
	}
	dbl2.double(&dbl, true)
	noT2.double(&noT, true)
	if dbl2 != noT2 {
		t.Fatal("4B from 2B without T differs")
	}
	var diff point
	diff.add(&sum, &c, true)
	if diff.bytes() != b {
		t.Fatal("2B-B != B")
	}
	var zero scalar
	lnaf, znaf := orderL.naf(), zero.naf()
	var id point
	id.identity()
	var tb [8]cached
	oddMultiples(&tb, &basePoint)
	if r := doubleScalarMult(&lnaf, &tb, &znaf, &tb); r.bytes() != id.bytes() {
		t.Fatal("[L]B is not the identity")
	}
}
