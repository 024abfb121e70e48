package modsign

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzVerify: Parse and Verify never panic, every error has a class, a parse
// reassembles to the file, and whatever verifies is exactly what Sign makes
// (Ed25519 signatures are unique), so no mutation of a signed file verifies.
func FuzzVerify(f *testing.F) {
	k := testKey("a")
	good := mustSign(f, k, image)
	f.Add(good)
	f.Add(image)
	f.Add([]byte(Magic))
	f.Add(good[:len(good)-1])
	f.Add(mustSign(f, testKey("b"), image))
	trusted := ring(k)
	f.Fuzz(func(t *testing.T, file []byte) {
		s, err := Parse(file)
		if err == nil {
			re := append(append(append([]byte(nil), s.Image...), s.Signature...), s.Trailer.encode()...)
			if !bytes.Equal(re, file) {
				t.Fatal("parse does not reassemble to the file")
			}
		} else if !isClassified(err) {
			t.Fatalf("unclassified parse error %v", err)
		}
		img, _, err := trusted.Verify(file)
		if err != nil {
			if !isClassified(err) {
				t.Fatalf("unclassified error %v", err)
			}
			return
		}
		if want := mustSign(t, k, img); !bytes.Equal(want, file) {
			t.Fatal("a file that Sign did not make verifies")
		}
	})
}

func isClassified(err error) bool {
	for _, c := range []error{ErrUnsigned, ErrMalformed, ErrUnknownKey, ErrBadSignature} {
		if errors.Is(err, c) {
			return true
		}
	}
	return false
}
