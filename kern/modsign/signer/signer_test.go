package signer

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"testing"

	"gojos/kern/modsign"
)

func key(name string) ed25519.PrivateKey {
	seed := sha256.Sum256([]byte(name))
	return ed25519.NewKeyFromSeed(seed[:])
}

// What Sign makes verifies under the key's keyring entry, names the key,
// and is the same every time.
func TestSignVerifies(t *testing.T) {
	k := key("a")
	img := []byte("\x7fELF module")
	s, err := Sign(k, img)
	if err != nil {
		t.Fatal(err)
	}
	pub := k.Public().(ed25519.PublicKey)
	got, id, err := modsign.Keyring{modsign.KeyOf(pub)}.Verify(s)
	if err != nil || !bytes.Equal(got, img) || id != modsign.IDOf(pub) {
		t.Fatalf("Verify = %q, %v, %v", got, id, err)
	}
	if again, _ := Sign(k, img); !bytes.Equal(again, s) {
		t.Fatal("signing is not deterministic")
	}
	if _, _, err := (modsign.Keyring{modsign.KeyOf(key("b").Public().(ed25519.PublicKey))}).Verify(s); err == nil {
		t.Fatal("verifies under another key")
	}
}

func TestSignRefuses(t *testing.T) {
	k := key("a")
	if _, err := Sign(k[:10], []byte("x")); err == nil {
		t.Error("a 10-byte private key signs")
	}
	s, _ := Sign(k, []byte("x"))
	if _, err := Sign(k, s); err == nil {
		t.Error("a signed module is signed again")
	}
}
