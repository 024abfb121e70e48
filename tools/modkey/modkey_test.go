package modkey

import (
	"bytes"
	"crypto/ed25519"
	"go/format"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
	pemPriv, err := EncodePrivate(priv)
	if err != nil {
		t.Fatal(err)
	}
	withText := append([]byte("an explanation before the block\n"), pemPriv...)
	got, err := ParsePrivate(withText)
	if err != nil || !got.Equal(priv) {
		t.Fatalf("ParsePrivate = %v", err)
	}
	pub := priv.Public().(ed25519.PublicKey)
	pemPub, _ := EncodePublic(pub)
	for _, in := range [][]byte{pemPub, withText} {
		p, err := ParsePublic(in)
		if err != nil || !p.Equal(pub) {
			t.Fatalf("ParsePublic = %v", err)
		}
	}
	if _, err := ParsePrivate(pemPub); err == nil {
		t.Error("a public key parsed as private")
	}
	if _, err := ParsePublic([]byte("no pem here")); err == nil {
		t.Error("text parsed as a key")
	}
}

func TestGoSource(t *testing.T) {
	pub := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32)).Public().(ed25519.PublicKey)
	src := GoSource("trusted", pub)
	f, err := format.Source(src)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(f, src) {
		t.Errorf("not gofmt-formatted:\n%s", src)
	}
	if !strings.Contains(string(src), "package trusted") || strings.Count(string(src), "0x") != 8+32 {
		t.Errorf("source:\n%s", src)
	}
}
