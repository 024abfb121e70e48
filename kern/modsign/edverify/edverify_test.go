package edverify

import (
	"crypto"
	"crypto/ed25519"
	"crypto/sha512"
	"encoding/hex"
	"math/rand/v2"
	"testing"
)

// stdVerify is crypto/ed25519's verdict: pure Ed25519 for ctx == nil,
// Ed25519ph with that context otherwise.
func stdVerify(pub, msg, sig []byte, ctx *string) bool {
	opts := &ed25519.Options{}
	if ctx != nil {
		opts = &ed25519.Options{Hash: crypto.SHA512, Context: *ctx}
	}
	return ed25519.VerifyWithOptions(pub, msg, sig, opts) == nil
}

func ourVerify(pub, msg, sig []byte, ctx *string) bool {
	if ctx != nil {
		return VerifyPh(pub, msg, sig, *ctx) == nil
	}
	return Verify(pub, msg, sig) == nil
}

// same fails t unless both verifiers give the same verdict; it returns it.
func same(t testing.TB, pub, msg, sig []byte, ctx *string) bool {
	t.Helper()
	want, got := stdVerify(pub, msg, sig, ctx), ourVerify(pub, msg, sig, ctx)
	if want != got {
		t.Fatalf("crypto/ed25519 says %v, edverify says %v\npub %x\nmsg %x\nsig %x\nctx %v", want, got, pub, msg, sig, ctx)
	}
	return got
}

func key(seed byte) ed25519.PrivateKey {
	var s [ed25519.SeedSize]byte
	s[0] = seed
	return ed25519.NewKeyFromSeed(s[:])
}

func signPh(t testing.TB, priv ed25519.PrivateKey, digest []byte, ctx string) []byte {
	sig, err := priv.Sign(nil, digest, &ed25519.Options{Hash: crypto.SHA512, Context: ctx})
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

func TestGoodSignatures(t *testing.T) {
	for i := 0; i < 20; i++ {
		priv := key(byte(i))
		pub := priv.Public().(ed25519.PublicKey)
		msg := []byte{byte(i), 1, 2, 3}
		if !same(t, pub, msg, ed25519.Sign(priv, msg), nil) {
			t.Fatal("a good pure signature does not verify")
		}
		d := sha512.Sum512(msg)
		for _, ctx := range []string{"", "gojos module", string(make([]byte, 255))} {
			if !same(t, pub, d[:], signPh(t, priv, d[:], ctx), &ctx) {
				t.Fatalf("a good Ed25519ph signature (context %q) does not verify", ctx)
			}
		}
	}
}

// TestKeyCache interleaves two keys, an undecodable key and bad
// signatures, so that verify's kept key (the last one decoded) is hit,
// replaced and hit again: every verdict stays crypto/ed25519's.
func TestKeyCache(t *testing.T) {
	a, b := key(1), key(2)
	pa, pb := a.Public().(ed25519.PublicKey), b.Public().(ed25519.PublicKey)
	msg := []byte("module")
	sa, sb := ed25519.Sign(a, msg), ed25519.Sign(b, msg)
	bad := make([]byte, 32)
	bad[0] = 2 // y = 2 is on no point of the curve
	if (&point{}).setBytes(bad) {
		t.Fatal("the test's undecodable key decodes")
	}
	flipped := append([]byte(nil), sa...)
	flipped[40] ^= 1
	for _, c := range []struct {
		pub, sig []byte
		want     bool
	}{
		{pa, sa, true}, {pa, sa, true}, {pa, sb, false}, {pa, flipped, false},
		{pb, sb, true}, {pb, sa, false}, {pa, sa, true},
		{bad, sa, false}, {bad, sa, false}, {pa, sa, true}, {pb, sb, true},
	} {
		if got := same(t, c.pub, msg, c.sig, nil); got != c.want {
			t.Fatalf("verdict %v under %x, want %v", got, c.pub, c.want)
		}
	}
}

// TestRFC8032 is the Ed25519ph test vector of RFC 8032 section 7.3 (empty
// context, message "abc").
func TestRFC8032(t *testing.T) {
	pub := mustHex(t, "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf")
	sig := mustHex(t, "98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae41"+
		"31f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406")
	d := sha512.Sum512([]byte("abc"))
	if err := VerifyPh(pub, d[:], sig, ""); err != nil {
		t.Fatalf("RFC 8032 Ed25519ph vector: %v", err)
	}
	if err := VerifyPh(pub, d[:], sig, "x"); err == nil {
		t.Fatal("the vector verifies under another context")
	}
}

func mustHex(t testing.TB, s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestMutations: no single-bit change of a good signature, key, digest or
// context verifies, in agreement with crypto/ed25519.
func TestMutations(t *testing.T) {
	priv := key(7)
	pub := []byte(priv.Public().(ed25519.PublicKey))
	d := sha512.Sum512([]byte("module"))
	ctx := "ctx"
	sig := signPh(t, priv, d[:], ctx)
	flip := func(b []byte, bit int) []byte {
		c := append([]byte(nil), b...)
		c[bit/8] ^= 1 << (bit % 8)
		return c
	}
	for bit := 0; bit < 8*len(sig); bit++ {
		if same(t, pub, d[:], flip(sig, bit), &ctx) {
			t.Fatalf("signature with bit %d flipped verifies", bit)
		}
	}
	for bit := 0; bit < 8*len(pub); bit++ {
		if same(t, flip(pub, bit), d[:], sig, &ctx) {
			t.Fatalf("key with bit %d flipped verifies", bit)
		}
	}
	for bit := 0; bit < 8*len(d); bit += 7 {
		if same(t, pub, flip(d[:], bit), sig, &ctx) {
			t.Fatalf("digest with bit %d flipped verifies", bit)
		}
	}
	other := "ctY"
	if same(t, pub, d[:], sig, &other) {
		t.Fatal("another context verifies")
	}
}

// edgePoints are encodings where decoders disagree in the wild: the eight
// small-order points, the non-canonical encodings of y (y >= p) with both
// sign bits, and a few invalid ones.
func edgePoints(t testing.TB) [][]byte {
	var pts [][]byte
	for _, h := range []string{
		"0100000000000000000000000000000000000000000000000000000000000000",
		"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
		"0000000000000000000000000000000000000000000000000000000000000000",
		"0000000000000000000000000000000000000000000000000000000000000080",
		"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
		"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
		"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
		"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
		"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
		"0200000000000000000000000000000000000000000000000000000000000000",
	} {
		pts = append(pts, mustHex(t, h))
	}
	// p + i for i in 0..18, little-endian, both signs: p = 2^255 - 19.
	for i := 0; i < 19; i++ {
		b := make([]byte, 32)
		for j := range b {
			b[j] = 0xff
		}
		b[0] = byte(0xed + i)
		b[31] = 0x7f
		pts = append(pts, b, append(append([]byte(nil), b[:31]...), 0xff))
	}
	return pts
}

// TestEdgeCases: small-order and non-canonical keys and R values, and S at
// and around the group order, get crypto/ed25519's verdicts.
func TestEdgeCases(t *testing.T) {
	ctx := ""
	d := sha512.Sum512(nil)
	// S values: 0, 1, L-1, L, L+1, 2^253 - 1 (top bits clear), and one with
	// the top bits set.
	l := mustHex(t, "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")
	add := func(b []byte, v int) []byte {
		c := append([]byte(nil), b...)
		carry := v
		for i := range c {
			s := int(c[i]) + carry
			c[i] = byte(s)
			carry = s >> 8
			if s < 0 {
				c[i] = byte(s + 256)
				carry = -1
			}
		}
		return c
	}
	ss := [][]byte{make([]byte, 32), add(make([]byte, 32), 1), add(l, -1), l, add(l, 1)}
	top := make([]byte, 32)
	for i := range top {
		top[i] = 0xff
	}
	ss = append(ss, append(append([]byte(nil), top[:31]...), 0x1f), top)
	pts := edgePoints(t)
	n := 0
	for _, pub := range pts {
		for _, r := range pts {
			for _, s := range ss {
				sig := append(append([]byte(nil), r...), s...)
				if same(t, pub, d[:], sig, &ctx) {
					n++
				}
				if same(t, pub, d[:], sig, nil) {
					n++
				}
			}
		}
	}
	t.Logf("%d edge-case signatures verify under both", n)
}

// TestRandom: random keys, messages and signatures, good and corrupted.
func TestRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200; i++ {
		priv := key(byte(r.IntN(256)))
		pub := priv.Public().(ed25519.PublicKey)
		d := make([]byte, 64)
		for j := range d {
			d[j] = byte(r.Uint32())
		}
		ctx := string(d[:r.IntN(8)])
		sig := signPh(t, priv, d, ctx)
		sig[r.IntN(64)] ^= byte(r.IntN(2)) << r.IntN(8)
		same(t, pub, d, sig, &ctx)
	}
}

func TestBadLengths(t *testing.T) {
	priv := key(1)
	pub := priv.Public().(ed25519.PublicKey)
	d := sha512.Sum512(nil)
	sig := signPh(t, priv, d[:], "")
	if VerifyPh(pub[:31], d[:], sig, "") == nil {
		t.Error("a 31-byte key verifies")
	}
	if VerifyPh(pub, d[:63], sig, "") == nil {
		t.Error("a 63-byte digest verifies")
	}
	if VerifyPh(pub, d[:], sig[:63], "") == nil {
		t.Error("a 63-byte signature verifies")
	}
	if VerifyPh(pub, d[:], sig, string(make([]byte, 256))) == nil {
		t.Error("a 256-byte context is accepted")
	}
	if Verify(pub[:1], nil, sig) == nil {
		t.Error("a 1-byte key verifies (pure)")
	}
}

// FuzzVerify holds edverify to crypto/ed25519 on arbitrary keys, messages,
// signatures and contexts, pure and prehashed.
func FuzzVerify(f *testing.F) {
	priv := key(3)
	pub := []byte(priv.Public().(ed25519.PublicKey))
	d := sha512.Sum512([]byte("seed"))
	f.Add(pub, d[:], signPh(f, priv, d[:], "c"), "c", true)
	f.Add(pub, []byte("seed"), ed25519.Sign(priv, []byte("seed")), "", false)
	f.Add(make([]byte, 32), make([]byte, 64), make([]byte, 64), "", true)
	f.Fuzz(func(t *testing.T, pub, msg, sig []byte, ctx string, ph bool) {
		if len(pub) != PublicKeySize { // crypto/ed25519 panics on these
			if Verify(pub, msg, sig) == nil || VerifyPh(pub, msg, sig, ctx) == nil {
				t.Fatal("a key of the wrong size verifies")
			}
			return
		}
		if ph {
			same(t, pub, msg, sig, &ctx)
			return
		}
		same(t, pub, msg, sig, nil)
	})
}

func BenchmarkVerifyPh(b *testing.B) {
	priv := key(9)
	pub := priv.Public().(ed25519.PublicKey)
	d := sha512.Sum512([]byte("bench"))
	sig := signPh(b, priv, d[:], "gojos")
	for b.Loop() {
		if VerifyPh(pub, d[:], sig, "gojos") != nil {
			b.Fatal("does not verify")
		}
	}
}

func BenchmarkStdVerifyPh(b *testing.B) {
	priv := key(9)
	pub := priv.Public().(ed25519.PublicKey)
	d := sha512.Sum512([]byte("bench"))
	sig := signPh(b, priv, d[:], "gojos")
	opts := &ed25519.Options{Hash: crypto.SHA512, Context: "gojos"}
	for b.Loop() {
		if ed25519.VerifyWithOptions(pub, d[:], sig, opts) != nil {
			b.Fatal("does not verify")
		}
	}
}
