// Package signer signs modules with Ed25519 private keys in modsign's
// format: the build's and the host tools' half of module signing. The
// kernel only verifies (kern/modsign, kern/modsign/edverify) and does not
// link crypto/ed25519, whose package initialisation alone cost the boot
// about 12 ms under emulation.
package signer

import (
	"crypto"
	"crypto/ed25519"
	"fmt"

	"gojos/kern/modsign"
)

var options = &ed25519.Options{Hash: crypto.SHA512, Context: modsign.Context}

// Sign returns image with its signature by priv and the trailer appended
// (modsign.Seal).
func Sign(priv ed25519.PrivateKey, image []byte) ([]byte, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("bad private key: %d bytes, want %d", len(priv), ed25519.PrivateKeySize)
	}
	id := modsign.IDOf(priv.Public().(ed25519.PublicKey))
	return modsign.Seal(image, id, func(digest []byte) ([]byte, error) {
		return priv.Sign(nil, digest, options)
	})
}
