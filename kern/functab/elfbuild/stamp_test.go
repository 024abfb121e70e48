package elfbuild

import (
	"gojos/kern/functab"

	"bytes"
	"debug/elf"
	"fmt"
	"os"
	"strings"
	"testing"
)

// byteList spells s as the elements of a Go byte array literal.
func byteList(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "%#x, ", s[i])
	}
	return b.String()
}

func TestRealStamp(t *testing.T) {
	b, err := os.ReadFile(realProgram(t))
	if err != nil {
		t.Fatal(err)
	}
	f, err := elf.NewFile(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	want, err := ImageHash(f)
	if err != nil {
		t.Fatal(err)
	}
	before, err := ReadStamp(b, "main.stampme")
	if err != nil || string(before[:]) != functab.StampMarker {
		t.Fatalf("before Stamp: %q, %v; want the marker", before, err)
	}

	out, stamped, err := Stamp(b, "main.stampme")
	if err != nil || !stamped {
		t.Fatalf("Stamp: stamped %v, %v", stamped, err)
	}
	if got, err := ReadStamp(out, "main.stampme"); err != nil || got != want {
		t.Errorf("after Stamp: %x, %v; want the image hash %x", got, err, want)
	}
	g, err := elf.NewFile(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if h, err := ImageHash(g); err != nil || h != want {
		t.Errorf("Stamp changed the hashed sections: %x, %v", h, err)
	}
	if diff := countDiff(b, out); diff == 0 || diff > len(functab.StampMarker) {
		t.Errorf("Stamp changed %d bytes, want 1..%d", diff, len(functab.StampMarker))
	}
	if again, _, err := Stamp(out, "main.stampme"); err != nil || !bytes.Equal(again, out) {
		t.Errorf("a second Stamp: %v (changed: %v)", err, !bytes.Equal(again, out))
	}

	// A kernel without the variable is left as it is.
	if same, stamped, err := Stamp(b, "main.nosuchvar"); err != nil || stamped || !bytes.Equal(same, b) {
		t.Errorf("no symbol: stamped %v, %v", stamped, err)
	}
	// The wrong size, and a variable that holds something else, are errors.
	if _, _, err := Stamp(b, "main.fv"); err == nil || !strings.Contains(err.Error(), "bytes, want 32") {
		t.Errorf("a 4-byte variable: %v", err)
	}
	off := bytes.Index(b, []byte(functab.StampMarker))
	other := bytes.Clone(b)
	other[off] ^= 0xff
	if _, _, err := Stamp(other, "main.stampme"); err == nil || !strings.Contains(err.Error(), "neither the marker") {
		t.Errorf("a changed variable: %v", err)
	}
}

func countDiff(a, b []byte) int {
	n := 0
	for i := range a {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}
