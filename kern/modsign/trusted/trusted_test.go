package trusted

import (
	"crypto/ed25519"
	"testing"

	"gojos/kern/modsign"
)

// Every key's ID is the one modsign computes: the kernel matches signature
// trailers against these IDs without hashing the keys itself.
func TestKeyIDs(t *testing.T) {
	if len(Keys) == 0 {
		t.Fatal("no trusted key")
	}
	for i, k := range Keys {
		if len(k.Pub) != ed25519.PublicKeySize {
			t.Fatalf("key %d: %d bytes", i, len(k.Pub))
		}
		if got := modsign.IDOf(k.Pub); got != modsign.KeyID(k.ID) {
			t.Errorf("key %d: ID %x, its key's is %s", i, k.ID, got)
		}
	}
}
