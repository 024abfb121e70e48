package tarfs

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"testing"
	"unsafe"
)

// FuzzNew feeds arbitrary bytes to New. Whatever it accepts must be
// consistent: every regular file's bytes equal what archive/tar reads for
// it and lie inside the input, every directory lists only names that
// resolve, and no lookup panics.
func FuzzNew(f *testing.F) {
	f.Add(initrd(f))
	f.Add(mkTar(f, tar.FormatPAX, hard("a", "b"), reg("b", "x"), sym("c", "/b"), dirent("d/")))
	f.Add(mkTar(f, tar.FormatGNU, reg("./x/../y", "z"), sym("l", "l")))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys, err := New(data)
		if err != nil {
			return
		}
		want := contents(data)
		lo := uintptr(unsafe.Pointer(unsafe.SliceData(data)))
		err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if !errors.Is(err, ErrLoop) && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, ErrNotDir) {
					t.Errorf("%s: walk error %v", p, err)
				}
				return nil
			}
			if _, err := fsys.Lstat(p); err != nil {
				t.Errorf("%s: listed but Lstat fails: %v", p, err)
			}
			switch {
			case d.Type()&fs.ModeSymlink != 0:
				if _, err := fsys.ReadLink(p); err != nil {
					t.Errorf("%s: ReadLink: %v", p, err)
				}
				fsys.Stat(p)
				fsys.ReadDir(p)
			case d.Type().IsRegular():
				b, err := fsys.Bytes(p)
				if err != nil {
					t.Fatalf("%s: Bytes: %v", p, err)
				}
				if len(b) > 0 {
					q := uintptr(unsafe.Pointer(&b[0]))
					if q < lo || q+uintptr(len(b)) > lo+uintptr(len(data)) {
						t.Fatalf("%s: contents outside the archive", p)
					}
				}
				if w, ok := want[p]; ok && !bytes.Equal(w, b) {
					t.Fatalf("%s: contents %q, archive/tar reads %q", p, b, w)
				}
			}
			return nil
		})
		if err != nil {
			t.Error(err)
		}
	})
}

// contents reads every regular file the plain way; the last entry of a name wins.
func contents(data []byte) map[string][]byte {
	out := map[string][]byte{}
	tr := tar.NewReader(bytes.NewReader(data))
	for {
		h, err := tr.Next()
		if err != nil {
			return out
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		name, err := archiveName(h.Name)
		if err != nil {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return out
		}
		out[name] = b
	}
}
