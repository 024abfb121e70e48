package modsign

import (
	"fmt"
	"strings"

	"gojos/kern/modsign/edverify"
)

// Key is a trusted public key and its ID (IDOf), which Verify matches
// against the key ID a signature's trailer names.
type Key struct {
	ID  KeyID
	Pub []byte // 32 bytes
}

// KeyOf is pub with its ID.
func KeyOf(pub []byte) Key { return Key{IDOf(pub), pub} }

// Keyring is a set of trusted public keys.
type Keyring []Key

// NewKeyring makes a keyring from raw 32-byte public keys, refusing any of
// another size.
func NewKeyring(raw ...[]byte) (Keyring, error) {
	var keys []Key
	for _, r := range raw {
		keys = append(keys, KeyOf(r)) // KeyringOf refuses a key of another size
	}
	return KeyringOf(keys...)
}

// KeyringOf makes a keyring from keys whose IDs were computed when they
// were embedded (the kernel's trusted keys: it does not hash them again,
// and under emulation the first SHA-256 of a boot cost the first insmod
// about 4.5 ms). A wrong ID cannot make another key's signature verify: a
// module naming it is checked against this key and refused.
func KeyringOf(keys ...Key) (Keyring, error) {
	var k Keyring
	for i, key := range keys {
		if len(key.Pub) != edverify.PublicKeySize {
			return nil, fmt.Errorf("trusted key %d: %d bytes, want %d", i, len(key.Pub), edverify.PublicKeySize)
		}
		k = append(k, Key{key.ID, append([]byte(nil), key.Pub...)})
	}
	return k, nil
}

// IDs lists the keys' IDs, for messages.
func (k Keyring) IDs() string {
	if len(k) == 0 {
		return "no key"
	}
	var ids []string
	for _, key := range k {
		ids = append(ids, key.ID.String())
	}
	return strings.Join(ids, ", ")
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
	for _, key := range k {
		if key.ID != id {
			continue
		}
		if err := edverify.VerifyPh(key.Pub, digest(s.Trailer, s.Image), s.Signature, Context); err != nil {
			return nil, id, errorf(ErrBadSignature, "module signature does not verify with key %s: the module or its signature changed after signing, or it is forged", id)
		}
		return s.Image, id, nil
	}
	return nil, id, errorf(ErrUnknownKey, "module is signed with key %s, which this kernel does not trust (it trusts %s)", id, k.IDs())
}
