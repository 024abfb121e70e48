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
// multiplication (width-5 NAFs) with small per-call tables built by point
// additions alone: every verification, the first included, costs the same.
// It is variable-time, which verification of public data may be.
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
	var a point
	if !a.setBytes(pub) {
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
	a.neg(&a)
	nk, ns := k.naf(), s.naf()
	r := doubleScalarMult(&nk, &a, &ns, &basePoint)
	if enc := r.bytes(); !bytes.Equal(enc[:], sig[:32]) {
		return ErrInvalid
	}
	return nil
}
