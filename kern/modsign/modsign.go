// Package modsign reads and writes gojos's module signatures: an Ed25519
// signature appended to a module's ELF image with a fixed-size trailer, in the
// spirit of Linux's appended module signature. It is pure Go, shared by the
// kernel (which verifies every module before its loader sees it) and the host
// signing tool (tools/modsign, run by the i386_module Bazel rule).
//
// A signed module is
//
//	image (N bytes) || signature (64 bytes) || trailer (48 bytes)
//
// and the trailer, little-endian, is
//
//	offset size
//	0      1    version, 1
//	1      1    algorithm, 1 = Ed25519ph (SHA-512 prehash, context "gojos module v1")
//	2      2    reserved, 0
//	4      8    key ID: the first 8 bytes of SHA-256 of the 32-byte public key
//	12     4    N, the image's length
//	16     4    the signature's length, 64
//	20     28   the magic "~gojos module signature v1~\n"
//
// The signature is Ed25519ph over SHA-512(trailer[0:20] || image), so the
// header fields are signed together with the image. The magic comes last, as
// Linux's "~Module signature appended~\n" does, so a file is recognised as
// signed by its last bytes alone. Parse checks the structure (every length must
// add up to the file's); Keyring.Verify also checks the key and the signature.
package modsign

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// Format constants.
const (
	Magic         = "~gojos module signature v1~\n"
	TrailerSize   = 48
	SignatureSize = 64
	Version       = 1
	AlgEd25519ph  = 1
	// Context is the Ed25519ph context string: a signature made for
	// something else with the same key never verifies as a module's.
	Context = "gojos module v1"
	// headerSize is the part of the trailer that is signed.
	headerSize = 20
)

// Error classes; every error of this package wraps exactly one (errors.Is).
var (
	// ErrUnsigned: the file does not end in a signature trailer.
	ErrUnsigned = errors.New("module is not signed")
	// ErrMalformed: the trailer is there but inconsistent (a truncated or
	// extended signature, an unknown version or algorithm).
	ErrMalformed = errors.New("malformed module signature")
	// ErrUnknownKey: signed by a key that is not trusted.
	ErrUnknownKey = errors.New("module signed with an unknown key")
	// ErrBadSignature: the signature does not match the module (the image or
	// the trailer changed after signing, or a forgery).
	ErrBadSignature = errors.New("module signature does not verify")
)

// Error is an error with its class and the details.
type Error struct {
	Class error
	Msg   string
}

func (e *Error) Error() string { return e.Msg }

// Unwrap returns the class.
func (e *Error) Unwrap() error { return e.Class }

func errorf(class error, format string, args ...any) error {
	return &Error{Class: class, Msg: fmt.Sprintf(format, args...)}
}

// KeyID identifies a public key: the first 8 bytes of its SHA-256.
type KeyID [8]byte

func (id KeyID) String() string { return fmt.Sprintf("%x", id[:]) }

// Trailer is the decoded trailer.
type Trailer struct {
	Version   uint8
	Algorithm uint8
	KeyID     KeyID
	ImageLen  uint32
	SigLen    uint32
}

// header encodes the signed part of the trailer.
func (t Trailer) header() []byte {
	b := make([]byte, headerSize)
	b[0], b[1] = t.Version, t.Algorithm
	copy(b[4:12], t.KeyID[:])
	binary.LittleEndian.PutUint32(b[12:], t.ImageLen)
	binary.LittleEndian.PutUint32(b[16:], t.SigLen)
	return b
}

// encode returns the whole trailer.
func (t Trailer) encode() []byte {
	return append(t.header(), Magic...)
}

// Signed is a parsed signed module; Image and Signature alias the file.
type Signed struct {
	Image     []byte
	Signature []byte
	Trailer   Trailer
}

// HasTrailer reports whether file ends in the signature magic (whether or
// not the rest is well formed).
func HasTrailer(file []byte) bool {
	return len(file) >= len(Magic) && bytes.Equal(file[len(file)-len(Magic):], []byte(Magic))
}

// Parse splits a signed module into image, signature and trailer, checking
// that the trailer is one this package writes and that its lengths match the
// file. It does not check the signature (Keyring.Verify does).
func Parse(file []byte) (*Signed, error) {
	if !HasTrailer(file) {
		return nil, errorf(ErrUnsigned, "module is not signed (no signature trailer %q at its end)", Magic[:len(Magic)-1])
	}
	if len(file) < TrailerSize {
		return nil, errorf(ErrMalformed, "malformed module signature: the file (%d bytes) is shorter than a signature trailer (%d bytes)", len(file), TrailerSize)
	}
	tb := file[len(file)-TrailerSize:]
	t := Trailer{
		Version:   tb[0],
		Algorithm: tb[1],
		ImageLen:  binary.LittleEndian.Uint32(tb[12:]),
		SigLen:    binary.LittleEndian.Uint32(tb[16:]),
	}
	copy(t.KeyID[:], tb[4:12])
	switch {
	case t.Version != Version:
		return nil, errorf(ErrMalformed, "malformed module signature: unsupported trailer version %d (want %d)", t.Version, Version)
	case t.Algorithm != AlgEd25519ph:
		return nil, errorf(ErrMalformed, "malformed module signature: unsupported algorithm %d (want %d, Ed25519ph)", t.Algorithm, AlgEd25519ph)
	case tb[2] != 0 || tb[3] != 0:
		return nil, errorf(ErrMalformed, "malformed module signature: reserved trailer bytes are %#02x %#02x, not zero", tb[2], tb[3])
	case t.SigLen != SignatureSize:
		return nil, errorf(ErrMalformed, "malformed module signature: signature length %d (want %d)", t.SigLen, SignatureSize)
	}
	body := uint64(len(file) - TrailerSize)
	if want := uint64(t.ImageLen) + uint64(t.SigLen); want != body {
		return nil, errorf(ErrMalformed, "malformed module signature: the trailer says %d bytes of module and %d of signature, but %d bytes precede it (truncated or extended)",
			t.ImageLen, t.SigLen, body)
	}
	return &Signed{
		Image:     file[:t.ImageLen],
		Signature: file[t.ImageLen:body],
		Trailer:   t,
	}, nil
}

// Strip returns the image of a well-formed signed module, or file itself
// when it is not one.
func Strip(file []byte) []byte {
	if s, err := Parse(file); err == nil {
		return s.Image
	}
	return file
}
