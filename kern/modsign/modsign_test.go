package modsign

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"testing"
)

func testKey(name string) ed25519.PrivateKey {
	seed := sha256.Sum256([]byte(name))
	return ed25519.NewKeyFromSeed(seed[:])
}

var image = []byte("\x7fELF a module image, any bytes will do for the signature format")

// testSign signs as kern/modsign/signer does (which imports this package,
// so its tests cannot use it).
func testSign(k ed25519.PrivateKey, img []byte) ([]byte, error) {
	opts := &ed25519.Options{Hash: crypto.SHA512, Context: Context}
	return Seal(img, IDOf(k.Public().(ed25519.PublicKey)), func(d []byte) ([]byte, error) {
		return k.Sign(nil, d, opts)
	})
}

func mustSign(t testing.TB, k ed25519.PrivateKey, img []byte) []byte {
	t.Helper()
	s, err := testSign(k, img)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func ring(keys ...ed25519.PrivateKey) Keyring {
	var k Keyring
	for _, p := range keys {
		k = append(k, KeyOf(p.Public().(ed25519.PublicKey)))
	}
	return k
}

func TestSignVerify(t *testing.T) {
	k := testKey("a")
	s := mustSign(t, k, image)
	if len(s) != len(image)+SignatureSize+TrailerSize || !bytes.HasPrefix(s, image) || !bytes.HasSuffix(s, []byte(Magic)) {
		t.Fatalf("layout: %d bytes", len(s))
	}
	img, id, err := ring(testKey("other"), k).Verify(s)
	if err != nil || !bytes.Equal(img, image) || id != IDOf(k.Public().(ed25519.PublicKey)) {
		t.Fatalf("Verify = %q, %v, %v", img, id, err)
	}
	if again := mustSign(t, k, image); !bytes.Equal(again, s) {
		t.Error("signing is not deterministic")
	}
	if !bytes.Equal(Strip(s), image) || !bytes.Equal(Strip(image), image) {
		t.Error("Strip")
	}
}

func TestRefusals(t *testing.T) {
	k := testKey("a")
	good := mustSign(t, k, image)
	trusted := ring(k)
	forged := mustSign(t, testKey("b"), image)
	id := trusted[0].ID
	copy(forged[len(forged)-TrailerSize+4:], id[:]) // claims the trusted key
	cases := []struct {
		name  string
		file  []byte
		class error
	}{
		{"unsigned", image, ErrUnsigned},
		{"empty", nil, ErrUnsigned},
		{"magic only", []byte(Magic), ErrMalformed},
		{"wrong key", mustSign(t, testKey("b"), image), ErrUnknownKey},
		{"forged key id", forged, ErrBadSignature},
		{"no keys", good, ErrUnknownKey},
		{"signature shortened", append(append([]byte(nil), good[:len(image)+SignatureSize-10]...), good[len(good)-TrailerSize:]...), ErrMalformed},
		{"image shortened", append(append([]byte(nil), good[:len(image)-1]...), good[len(image):]...), ErrMalformed},
		{"tail cut", good[:len(good)-1], ErrUnsigned},
		{"appended to", append(append([]byte(nil), good...), 0), ErrUnsigned},
	}
	for _, c := range cases {
		k := trusted
		if c.name == "no keys" {
			k = nil
		}
		_, _, err := k.Verify(c.file)
		if !errors.Is(err, c.class) {
			t.Errorf("%s: err = %v, want class %v", c.name, err, c.class)
		}
	}
}

// Every single-bit flip anywhere in a signed module is refused.
func TestEveryFlipRefused(t *testing.T) {
	k := testKey("a")
	good := mustSign(t, k, image)
	trusted := ring(k)
	for i := range good {
		for bit := 0; bit < 8; bit++ {
			d := append([]byte(nil), good...)
			d[i] ^= 1 << bit
			if _, _, err := trusted.Verify(d); err == nil {
				t.Fatalf("flip of bit %d of byte %d accepted", bit, i)
			}
		}
	}
}

// Every truncation is refused.
func TestEveryTruncationRefused(t *testing.T) {
	k := testKey("a")
	good := mustSign(t, k, image)
	for n := 0; n < len(good); n++ {
		if _, _, err := ring(k).Verify(good[:n]); err == nil {
			t.Fatalf("truncation to %d bytes accepted", n)
		}
	}
}

func TestSignRefuses(t *testing.T) {
	k := testKey("a")
	if s, err := testSign(k, nil); err != nil {
		t.Errorf("empty image: %v", err)
	} else if img, _, err := ring(k).Verify(s); err != nil || len(img) != 0 {
		t.Errorf("signed empty image: %q, %v", img, err)
	}
	if _, err := testSign(k, mustSign(t, k, image)); err == nil {
		t.Error("signed twice")
	}
	if _, err := Seal(image, KeyID{}, func([]byte) ([]byte, error) { return make([]byte, 63), nil }); err == nil {
		t.Error("a 63-byte signature accepted")
	}
	if _, err := NewKeyring(make([]byte, 31)); err == nil {
		t.Error("31-byte public key accepted")
	}
}

func TestTrailerFields(t *testing.T) {
	good := mustSign(t, testKey("a"), image)
	tr := len(good) - TrailerSize
	for _, c := range []struct {
		off int
		val byte
	}{{0, 2}, {1, 9}, {2, 1}, {3, 1}, {16, 65}} {
		d := append([]byte(nil), good...)
		d[tr+c.off] = c.val
		if _, err := Parse(d); !errors.Is(err, ErrMalformed) {
			t.Errorf("trailer byte %d = %d: %v, want malformed", c.off, c.val, err)
		}
	}
}

// A key listed under another key's ID never verifies that key's
// signatures: the module is checked against the listed key and refused.
func TestKeyringOfWrongID(t *testing.T) {
	a, b := testKey("a"), testKey("b")
	wrong := Key{ID: IDOf(a.Public().(ed25519.PublicKey)), Pub: b.Public().(ed25519.PublicKey)}
	k, err := KeyringOf(wrong)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := k.Verify(mustSign(t, a, image)); !errors.Is(err, ErrBadSignature) {
		t.Errorf("Verify = %v, want a bad signature", err)
	}
	if _, err := KeyringOf(Key{Pub: make([]byte, 31)}); err == nil {
		t.Error("31-byte public key accepted")
	}
}
