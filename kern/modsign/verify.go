package modsign

import (
	"crypto/ed25519"
	"fmt"
	"strings"
)

// Keyring is a set of trusted public keys.
type Keyring []ed25519.PublicKey

// NewKeyring makes a keyring from raw 32-byte public keys, refusing any of
// another size.
func NewKeyring(raw ...[]byte) (Keyring, error) {
	var k Keyring
	for i, r := range raw {
		if len(r) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("trusted key %d: %d bytes, want %d", i, len(r), ed25519.PublicKeySize)
		}
		k = append(k, ed25519.PublicKey(append([]byte(nil), r...)))
	}
	return k, nil
}

// IDs lists the keys' IDs, for messages.
func (k Keyring) IDs() string {
	if len(k) == 0 {
		return "no key"
	}
	var ids []string
	for _, p := range k {
		ids = append(ids, IDOf(p).String())
	}
	return strings.Join(ids, ", ")
}

// Warm does the Ed25519 code's one-time work now rather than in the first
// Verify: the first verification builds the base point's multiples table
// (an inversion per entry), and under emulation the first module check of
// a boot cost several times a later one. It checks an all-zero signature,
// which never verifies, with the first key.
func (k Keyring) Warm() {
	if len(k) == 0 {
		return
	}
	var sig [ed25519.SignatureSize]byte
	var digest [64]byte // what Verify checks: a SHA-512 digest
	ed25519.VerifyWithOptions(k[0], digest[:], sig[:], options)
}

// Verify checks a signed module against the keyring and returns its image
// (a prefix of file) and the signer's key ID. The error wraps ErrUnsigned,
// ErrMalformed, ErrUnknownKey or ErrBadSignature; on ErrUnknownKey the key ID
// is the one the trailer names.
func (k Keyring) Verify(file []byte) ([]byte, KeyID, error) {
	s, err := Parse(file)
	if err != nil {
		return nil, KeyID{}, err
	}
	id := s.Trailer.KeyID
	for _, pub := range k {
		if IDOf(pub) != id {
			continue
		}
		if err := ed25519.VerifyWithOptions(pub, digest(s.Trailer, s.Image), s.Signature, options); err != nil {
			return nil, id, errorf(ErrBadSignature, "module signature does not verify with key %s: the module or its signature changed after signing, or it is forged", id)
		}
		return s.Image, id, nil
	}
	return nil, id, errorf(ErrUnknownKey, "module is signed with key %s, which this kernel does not trust (it trusts %s)", id, k.IDs())
}
