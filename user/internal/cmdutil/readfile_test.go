package cmdutil

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	for _, size := range []int{0, 1, 511, 512, 513, 4096, 100000} {
		want := bytes.Repeat([]byte{'x'}, size)
		for i := range want {
			want[i] = byte(i * 7)
		}
		p := filepath.Join(dir, "f")
		if err := os.WriteFile(p, want, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := ReadFile(p)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("size %d: got %d bytes, %v", size, len(got), err)
		}
	}
	if _, err := ReadFile(filepath.Join(dir, "nosuch")); !errors.Is(err, syscall.ENOENT) {
		t.Errorf("missing file: %v, want ENOENT", err)
	}
	if _, err := ReadFile(dir); !errors.Is(err, syscall.EISDIR) {
		t.Errorf("directory: %v, want EISDIR", err)
	}
	// A file whose size says 0 but that has contents (as /proc's do).
	if got, err := ReadFile("/proc/self/status"); err != nil || !bytes.Contains(got, []byte("Name:")) {
		t.Errorf("/proc/self/status: %d bytes, %v", len(got), err)
	}
}
