// Package edverify checks Ed25519 signatures (RFC 8032), small and quick
// on i386 and under emulation, where crypto/ed25519 is neither.
//
// The standard library's verifier computes [S]B with a table of 64 affine
// multiples of the base point, made on first use with one field inversion
// each, and its field and scalar arithmetic is unrolled code over 64-bit
// limbs (some 60 KB of machine code on 386): under TCG, translating that
// code and building the table cost the kernel's first verification several
// times a later one. Here the field is eight 32-bit words (one MUL per
// partial product on i386) in short loops, scalars are reduced by binary
// long division, and [S]B + [k](-A) is one variable-base double scalar
// multiplication (width-5 NAFs) with small tables built by point additions
// alone. The base point's table is made at the first verification and
// kept; so are the last public key's decoding and table (the kernel checks
// every module against the same few keys), which a verification under
// another key replaces. It is variable-time, which verification of public
// data may be.
//
// The acceptance rules are exactly crypto/ed25519's (tests hold the two
// together, differentially and on edge cases): a signature is 64 bytes, its
// S must be canonical (below the group order), the public key is decoded
// with the same rules (non-canonical encodings of valid points accepted),
// and the recomputed R must encode to the signature's first 32 bytes
// (cofactorless verification).
//
// It is pure Go and builds for the host and for linux/386.
package edverify

import (
	"bytes"
	"crypto/sha512"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// Sizes of Ed25519's keys, signatures and prehashed messages.
const (
	PublicKeySize = 32
	SignatureSize = 64
	DigestSize    = sha512.Size // the message of Ed25519ph: a SHA-512 digest
	maxContext    = 255
)

// ErrInvalid is the error of a signature that does not verify.
var ErrInvalid = errors.New("ed25519: invalid signature")

// domPrefix starts dom2 (RFC 8032 section 5.1), the prefix of the hashed
// data in Ed25519ctx and Ed25519ph.
const domPrefix = "SigEd25519 no Ed25519 collisions"

// Verify checks sig, a pure Ed25519 signature of msg, under pub.
func Verify(pub, msg, sig []byte) error {
	if len(pub) != PublicKeySize {
		return fmt.Errorf("ed25519: bad public key length %d, want %d", len(pub), PublicKeySize)
	}
	return verify(pub, nil, msg, sig)
}

// VerifyPh checks sig, an Ed25519ph signature with context ctx of digest
// (the SHA-512 of the signed message), under pub: what
// crypto/ed25519.VerifyWithOptions checks with Options{Hash: crypto.SHA512,
// Context: ctx}.
func VerifyPh(pub, digest, sig []byte, ctx string) error {
	if len(pub) != PublicKeySize {
		return fmt.Errorf("ed25519: bad public key length %d, want %d", len(pub), PublicKeySize)
	}
	if len(digest) != DigestSize {
		return fmt.Errorf("ed25519: bad Ed25519ph message hash length %d, want %d", len(digest), DigestSize)
	}
	if len(ctx) > maxContext {
		return fmt.Errorf("ed25519: bad Ed25519ph context length %d, at most %d", len(ctx), maxContext)
	}
	dom := make([]byte, 0, len(domPrefix)+2+len(ctx))
	dom = append(dom, domPrefix...)
	dom = append(dom, 1, byte(len(ctx))) // phflag 1: prehashed
	dom = append(dom, ctx...)
	return verify(pub, dom, digest, sig)
}

// verify checks that [S]B = R + [k]A, with k = SHA-512(dom || R || A || msg)
// reduced modulo the group order, by computing [S]B + [k](-A) and comparing
// its encoding with R's. (The point is negated, not the scalar: k's
// negation modulo the order would change the sum for a key with a
// small-order component, where crypto/ed25519 negates the point.)
func verify(pub, dom, msg, sig []byte) error {
	if len(sig) != SignatureSize || sig[63]&0xe0 != 0 {
		return ErrInvalid
	}
	key := negatedKey(pub)
	if !key.ok {
		return ErrInvalid
	}
	s, ok := canonicalScalar(sig[32:])
	if !ok {
		return ErrInvalid
	}
	h := sha512.New()
	h.Write(dom)
	h.Write(sig[:32])
	h.Write(pub)
	h.Write(msg)
	var sum [sha512.Size]byte
	h.Sum(sum[:0])
	k := reduceWide(&sum)
	nk, ns := k.naf(), s.naf()
	r := doubleScalarMult(&nk, &key.multiples, &ns, baseMultiples())
	if enc := r.bytes(); !bytes.Equal(enc[:], sig[:32]) {
		return ErrInvalid
	}
	return nil
}

// negKey is a decoded public key A, ready for verify: -A's odd multiples.
// It is never changed once made.
type negKey struct {
	enc       [PublicKeySize]byte
	ok        bool      // enc encodes a point (else the rest is zero)
	multiples [8]cached // -A, -3A, ..., -15A
}

// lastKey is the public key verify decoded last. Decoding is a square
// root in the field (some 250 squarings) and the table seven additions:
// about a seventh of a verification.
var lastKey atomic.Pointer[negKey]

// negatedKey decodes pub (32 bytes), or returns the last key decoded if
// it is the same.
func negatedKey(pub []byte) *negKey {
	if k := lastKey.Load(); k != nil && bytes.Equal(k.enc[:], pub) {
		return k
	}
	k := &negKey{}
	copy(k.enc[:], pub)
	var a point
	if k.ok = a.setBytes(pub); k.ok {
		a.neg(&a)
		oddMultiples(&k.multiples, &a)
	}
	lastKey.Store(k)
	return k
}

// base holds the base point's odd multiples, made at their first use (not
// at package initialisation: a kernel that loads no module never pays).
var base struct {
	once      sync.Once
	multiples [8]cached
}

func baseMultiples() *[8]cached {
	base.once.Do(func() { oddMultiples(&base.multiples, &basePoint) })
	return &base.multiples
}
