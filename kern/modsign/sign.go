package modsign

import (
	"crypto"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"fmt"
	"math"
)

// IDOf returns a public key's KeyID.
func IDOf(pub ed25519.PublicKey) KeyID {
	h := sha256.Sum256(pub)
	var id KeyID
	copy(id[:], h[:8])
	return id
}

// digest is what the signature signs: SHA-512 of the trailer's header and
// the image.
func digest(t Trailer, image []byte) []byte {
	h := sha512.New()
	h.Write(t.header())
	h.Write(image)
	return h.Sum(nil)
}

var options = &ed25519.Options{Hash: crypto.SHA512, Context: Context}

// Sign returns image with its signature and trailer appended. The result is
// a function of the key and the image only (Ed25519 is deterministic), so
// builds stay byte-reproducible. An image that already ends in a signature
// trailer is refused: strip it first. (An empty image may be signed: whether
// the bytes are a module is the loader's business.)
func Sign(priv ed25519.PrivateKey, image []byte) ([]byte, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("bad private key: %d bytes, want %d", len(priv), ed25519.PrivateKeySize)
	}
	if uint64(len(image)) > math.MaxUint32-SignatureSize-TrailerSize {
		return nil, fmt.Errorf("module too large to sign (%d bytes)", len(image))
	}
	if HasTrailer(image) {
		return nil, errors.New("the module is already signed (strip its signature first)")
	}
	t := Trailer{
		Version:   Version,
		Algorithm: AlgEd25519ph,
		KeyID:     IDOf(priv.Public().(ed25519.PublicKey)),
		ImageLen:  uint32(len(image)),
		SigLen:    SignatureSize,
	}
	sig, err := priv.Sign(nil, digest(t, image), options)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(image)+len(sig)+TrailerSize)
	out = append(out, image...)
	out = append(out, sig...)
	return append(out, t.encode()...), nil
}
