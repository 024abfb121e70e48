package tarfs

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"strings"
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

// FuzzTree builds well-formed archives from a line-based description, so
// that the fuzzer explores names and links rather than tar checksums:
// each line is a type letter (f file, d directory, l symbolic link, h hard
// link) then "name" or "name=target". Every name must then resolve
// without a panic, and walking the tree must terminate.
func FuzzTree(f *testing.F) {
	f.Add("f bin/gojos\nl bin/sh=gojos\nh bin/cat=bin/gojos\nl up=..\nl loop=loop\nd etc")
	f.Add("l a=b/c\nl b=a\nf x/y\nl x/z=/x/../x/y\nh w=x/z")
	f.Fuzz(func(t *testing.T, spec string) {
		var buf bytes.Buffer
		tw := tar.NewWriter(&buf)
		var names []string
		files := map[string]bool{} // every file's contents is its own name
		for _, line := range strings.Split(spec, "\n") {
			if len(line) < 3 {
				continue
			}
			name, target, _ := strings.Cut(line[2:], "=")
			h := &tar.Header{Name: name, Linkname: target, Mode: 0o644, Format: tar.FormatPAX}
			switch line[0] {
			case 'f':
				h.Typeflag, h.Size = tar.TypeReg, int64(len(name))
				files[name] = true
			case 'd':
				h.Typeflag = tar.TypeDir
			case 'l':
				h.Typeflag = tar.TypeSymlink
			case 'h':
				h.Typeflag = tar.TypeLink
			default:
				continue
			}
			if tw.WriteHeader(h) != nil {
				return
			}
			if h.Typeflag == tar.TypeReg {
				tw.Write([]byte(name))
			}
			names = append(names, name, target)
		}
		if tw.Close() != nil {
			return
		}
		fsys, err := New(buf.Bytes())
		if err != nil {
			return
		}
		for _, n := range names {
			c := Clean(n)
			fsys.Stat(c)
			fsys.Lstat(c)
			fsys.ReadLink(c)
			fsys.ReadDir(c)
			if b, err := fsys.Bytes(c); err == nil && !files[string(b)] {
				t.Fatalf("%s: contents %q are no file's", c, b)
			}
		}
		visited := 0
		fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if visited++; visited > 10000 {
				t.Fatal("walk does not terminate")
			}
			return nil
		})
	})
}
