// Package edverify checks Ed25519 signatures (RFC 8032) without the
// precomputed base-point tables that crypto/ed25519 builds at its first
// verification.
//
// The standard library's verifier computes [S]B with a table of 64 affine
// multiples of the base point, made on first use with one field inversion
// each. On a 32-bit machine under emulation that one-time table cost the
// kernel several times a whole verification (tens of milliseconds), whether
// it was paid at boot or by the first insmod. Here both terms, [S]B and
// [k]A, go through one variable-base double scalar multiplication with small
// per-call tables built by point additions alone, so every verification,
// the first included, costs the same.
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

	"filippo.io/edwards25519"
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

// generator is the base point B.
var generator = edwards25519.NewGeneratorPoint()

// verify checks that [S]B = R + [k]A, with k = SHA-512(dom || R || A || msg)
// reduced modulo the group order, by computing [S]B + [k](-A) and comparing
// its encoding with R's.
func verify(pub, dom, msg, sig []byte) error {
	if len(sig) != SignatureSize || sig[63]&0xe0 != 0 {
		return ErrInvalid
	}
	a, err := new(edwards25519.Point).SetBytes(pub)
	if err != nil {
		return ErrInvalid
	}
	h := sha512.New()
	h.Write(dom)
	h.Write(sig[:32])
	h.Write(pub)
	h.Write(msg)
	var sum [sha512.Size]byte
	k, err := new(edwards25519.Scalar).SetUniformBytes(h.Sum(sum[:0]))
	if err != nil {
		return ErrInvalid // cannot happen: the digest is 64 bytes
	}
	s, err := new(edwards25519.Scalar).SetCanonicalBytes(sig[32:])
	if err != nil {
		return ErrInvalid
	}
	// [k](-A), not [-k]A: the scalars are reduced modulo the prime
	// order, so negating k would change the sum for a key with a
	// small-order component, where crypto/ed25519 negates the point.
	a.Negate(a)
	r := new(edwards25519.Point).VarTimeMultiScalarMult(
		[]*edwards25519.Scalar{s, k}, []*edwards25519.Point{generator, a})
	if !bytes.Equal(r.Bytes(), sig[:32]) {
		return ErrInvalid
	}
	return nil
}
