package functab

import (
	"math/rand/v2"
	"testing"
)

// TestChecksum: every single-bit flip, every change of length, and the
// pairs of flips a multiply-only hash misses (the top bits of two words)
// change the checksum.
func TestChecksum(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, 203)
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	want := checksum(data)
	for i := range data {
		for bit := 0; bit < 8; bit++ {
			data[i] ^= 1 << bit
			if checksum(data) == want {
				t.Fatalf("flipping bit %d of byte %d goes unnoticed", bit, i)
			}
			data[i] ^= 1 << bit
		}
	}
	for n := 0; n < len(data); n++ {
		if checksum(data[:n]) == want {
			t.Fatalf("truncated to %d bytes: same checksum", n)
		}
	}
	if checksum(append(data[:len(data):len(data)], 0)) == want {
		t.Error("a zero byte appended goes unnoticed")
	}
	for i := 3; i < len(data); i += 4 {
		for j := i + 4; j < len(data); j += 4 {
			data[i] ^= 0x80
			data[j] ^= 0x80
			if checksum(data) == want {
				t.Fatalf("the top bits of words %d and %d flipped: unnoticed", i/4, j/4)
			}
			data[i] ^= 0x80
			data[j] ^= 0x80
		}
	}
}
