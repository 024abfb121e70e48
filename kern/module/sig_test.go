package module

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"strings"
	"syscall"
	"testing"

	"gojos/kern/modsign"
	"gojos/kern/modsign/signer"
)

func withKeys(t *testing.T, enforce bool, keys ...ed25519.PrivateKey) {
	t.Helper()
	old, oldEnforce := keyring, SigEnforce
	keyring, SigEnforce = nil, enforce
	for _, k := range keys {
		keyring = append(keyring, modsign.KeyOf(k.Public().(ed25519.PublicKey)))
	}
	t.Cleanup(func() { keyring, SigEnforce = old, oldEnforce })
}

func key(b byte) ed25519.PrivateKey { return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{b}, 32)) }

func TestCheckSignature(t *testing.T) {
	img := []byte("\x7fELF module bytes")
	good, _ := signer.Sign(key(1), img)
	other, _ := signer.Sign(key(2), img)
	bad := append([]byte(nil), good...)
	bad[3] ^= 1
	for _, enforce := range []bool{true, false} {
		withKeys(t, enforce, key(1))
		if got, unsigned, err := checkSignature(good); err != nil || unsigned || !bytes.Equal(got, img) {
			t.Errorf("enforce=%v: signed module: %q %v %v", enforce, got, unsigned, err)
		}
		for _, c := range []struct {
			name string
			file []byte
			soft bool
			want string
		}{
			{"unsigned", img, true, "module is not signed"},
			{"other key", other, true, "does not trust"},
			{"flipped", bad, false, "does not verify"},
			{"truncated", good[:len(good)-modsign.TrailerSize-1], true, "not signed"},
		} {
			got, unsigned, err := checkSignature(c.file)
			if c.soft && !enforce {
				if err != nil || !unsigned || !bytes.HasPrefix(c.file, got) {
					t.Errorf("enforce=%v %s: %q %v %v, want it loaded unsigned", enforce, c.name, got, unsigned, err)
				}
				continue
			}
			if c.name == "truncated" {
				continue // its image is cut too: refused by the loader when loaded unsigned
			}
			if err == nil || !errors.Is(err, syscall.EKEYREJECTED) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("enforce=%v %s: err = %v, want EKEYREJECTED and %q", enforce, c.name, err, c.want)
			}
		}
	}
}
