package modsign

import (
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"fmt"
	"math"
)

// IDOf returns a public key's KeyID.
func IDOf(pub []byte) KeyID {
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

// Seal returns image with a signature and its trailer appended: sign gets
// the digest the signature is over (SHA-512 of the trailer's header and the
// image) and returns an Ed25519ph signature of it with context Context made
// with the key whose ID is id (kern/modsign/signer signs with a private key;
// the kernel, which only verifies, does not link the signing code). The
// result is a function of the key and the image only (Ed25519 is
// deterministic), so builds stay byte-reproducible. An image that already
// ends in a signature trailer is refused: strip it first. (An empty image
// may be signed: whether the bytes are a module is the loader's business.)
func Seal(image []byte, id KeyID, sign func(digest []byte) ([]byte, error)) ([]byte, error) {
	if uint64(len(image)) > math.MaxUint32-SignatureSize-TrailerSize {
		return nil, fmt.Errorf("module too large to sign (%d bytes)", len(image))
	}
	if HasTrailer(image) {
		return nil, errors.New("the module is already signed (strip its signature first)")
	}
	t := Trailer{
		Version:   Version,
		Algorithm: AlgEd25519ph,
		KeyID:     id,
		ImageLen:  uint32(len(image)),
		SigLen:    SignatureSize,
	}
	sig, err := sign(digest(t, image))
	if err != nil {
		return nil, err
	}
	if len(sig) != SignatureSize {
		return nil, fmt.Errorf("signature of %d bytes, want %d", len(sig), SignatureSize)
	}
	out := make([]byte, 0, len(image)+len(sig)+TrailerSize)
	out = append(out, image...)
	out = append(out, sig...)
	return append(out, t.encode()...), nil
}
