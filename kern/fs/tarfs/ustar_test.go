package tarfs

import (
	"archive/tar"
	"bytes"
	"strings"
	"testing"
)

// sameHeaders fails t unless quickHeaders, where it accepts data, reads
// exactly what archive/tar reads; it reports whether quickHeaders accepted.
func sameHeaders(t testing.TB, data []byte) bool {
	t.Helper()
	quick, ok := quickHeaders(data)
	if !ok {
		return false
	}
	slow, err := tarHeaders(data)
	if err != nil {
		t.Fatalf("quickHeaders accepts what archive/tar refuses (%v)", err)
	}
	if len(quick) != len(slow) {
		t.Fatalf("quickHeaders reads %d entries, archive/tar %d", len(quick), len(slow))
	}
	for i := range quick {
		q, s := quick[i], slow[i]
		if q.off != s.off || q.hdr.Name != s.hdr.Name || q.hdr.Linkname != s.hdr.Linkname ||
			q.hdr.Typeflag != s.hdr.Typeflag || q.hdr.Mode != s.hdr.Mode || q.hdr.Size != s.hdr.Size ||
			!q.hdr.ModTime.Equal(s.hdr.ModTime) {
			t.Fatalf("entry %d: quickHeaders reads %+v at %d, archive/tar %+v at %d", i, *q.hdr, q.off, *s.hdr, s.off)
		}
	}
	return true
}

// padded is what tools/mkinitrd writes for an executable: an extended
// header whose comment record pads the contents to a page boundary.
func padded(t testing.TB, name string, pad int, data string) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	h := &tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o755, ModTime: mtime, Size: int64(len(data)),
		Format: tar.FormatPAX, PAXRecords: map[string]string{"comment": strings.Repeat("-", pad)}}
	if err := tw.WriteHeader(h); err != nil {
		t.Fatal(err)
	}
	if _, err := tw.Write([]byte(data)); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestQuickHeaders: the archives gojos builds take the quick path and read
// as archive/tar reads them; other formats are left to archive/tar.
func TestQuickHeaders(t *testing.T) {
	long := strings.Repeat("d/", 60) + "file" // a USTAR prefix, or a PAX path
	takes := map[string][]byte{
		"initrd":       initrd(t),
		"ustar prefix": mkTar(t, tar.FormatUSTAR, reg(long, "x"), dirent("e/")),
		"pax path":     mkTar(t, tar.FormatPAX, reg(strings.Repeat("n", 150), "x"), sym("s", strings.Repeat("t", 120))),
		"pax comment":  padded(t, "bin/gojos", 3000, "program"),
		"empty":        mkTar(t, tar.FormatUSTAR),
	}
	for name, data := range takes {
		if !sameHeaders(t, data) {
			t.Errorf("%s: quickHeaders declines", name)
		}
		if _, err := New(data); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	declines := map[string][]byte{
		"gnu":       mkTar(t, tar.FormatGNU, reg("a", "x")),
		"truncated": initrd(t)[:1024],
		"no end":    initrd(t)[:len(initrd(t))-1024],
		"nothing":   nil,
	}
	for name, data := range declines {
		if sameHeaders(t, data) {
			t.Errorf("%s: quickHeaders accepts", name)
		}
	}
	// A damaged checksum, mode or PAX record is left to archive/tar.
	for _, off := range []int{0, 100, 148, 156, 257, 329, 512 + 10} {
		data := padded(t, "f", 10, "x")
		data[off] ^= 0x40
		sameHeaders(t, data)
	}
}

// FuzzQuickHeaders holds quickHeaders to archive/tar on arbitrary bytes.
func FuzzQuickHeaders(f *testing.F) {
	f.Add(initrd(f))
	f.Add(padded(f, "bin/x", 100, "abc"))
	f.Add(mkTar(f, tar.FormatPAX, reg(strings.Repeat("n", 150), "x"), hard("h", "n")))
	f.Add(mkTar(f, tar.FormatUSTAR, reg(strings.Repeat("d/", 60)+"f", "x")))
	f.Fuzz(func(t *testing.T, data []byte) {
		sameHeaders(t, data)
	})
}
