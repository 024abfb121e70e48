package tarfs

import (
	"bytes"
	"io"
	"io/fs"
	"time"
)

// info describes a node under the name it was reached by; it is both an
// fs.FileInfo and an fs.DirEntry.
type info struct {
	n    *node
	name string
}

func (i info) Name() string { return i.name }
func (i info) Size() int64 {
	if i.n.isSymlink() {
		return int64(len(i.n.target))
	}
	return i.n.n
}
func (i info) Mode() fs.FileMode          { return i.n.mode }
func (i info) Type() fs.FileMode          { return i.n.mode.Type() }
func (i info) ModTime() time.Time         { return i.n.modTime }
func (i info) IsDir() bool                { return i.n.isDir() }
func (i info) Sys() any                   { return nil }
func (i info) Info() (fs.FileInfo, error) { return i, nil }
func (i info) String() string             { return fs.FormatFileInfo(i) }
func (i info) closed(op string) *fs.PathError {
	return &fs.PathError{Op: op, Path: i.name, Err: fs.ErrClosed}
}
func (i info) invalid(op string) *fs.PathError {
	return &fs.PathError{Op: op, Path: i.name, Err: ErrIsDir}
}

// file is an open regular file: a reader over its slice of the archive.
type file struct {
	info
	r    bytes.Reader
	shut bool
}

var (
	_ io.ReaderAt = (*file)(nil)
	_ io.Seeker   = (*file)(nil)
)

func (f *file) Stat() (fs.FileInfo, error) {
	if f.shut {
		return nil, f.closed("stat")
	}
	return f.info, nil
}

func (f *file) Read(p []byte) (int, error) {
	if f.shut {
		return 0, f.closed("read")
	}
	return f.r.Read(p)
}

func (f *file) ReadAt(p []byte, off int64) (int, error) {
	if f.shut {
		return 0, f.closed("read")
	}
	return f.r.ReadAt(p, off)
}

func (f *file) Seek(off int64, whence int) (int64, error) {
	if f.shut {
		return 0, f.closed("seek")
	}
	return f.r.Seek(off, whence)
}

func (f *file) Close() error {
	if f.shut {
		return f.closed("close")
	}
	f.shut = true
	return nil
}

// dir is an open directory.
type dir struct {
	info
	pos  int
	shut bool
}

func (d *dir) Stat() (fs.FileInfo, error) {
	if d.shut {
		return nil, d.closed("stat")
	}
	return d.info, nil
}

func (d *dir) Read([]byte) (int, error) {
	if d.shut {
		return 0, d.closed("read")
	}
	return 0, d.invalid("read")
}

func (d *dir) Close() error {
	if d.shut {
		return d.closed("close")
	}
	d.shut = true
	return nil
}

// ReadDir returns the next n entries (all remaining ones if n <= 0), in
// name order, following fs.ReadDirFile's rules.
func (d *dir) ReadDir(n int) ([]fs.DirEntry, error) {
	if d.shut {
		return nil, d.closed("readdir")
	}
	rest := d.n.sorted[d.pos:]
	if n > 0 && len(rest) == 0 {
		return nil, io.EOF
	}
	if n > 0 && n < len(rest) {
		rest = rest[:n]
	}
	d.pos += len(rest)
	out := make([]fs.DirEntry, len(rest))
	for i, c := range rest {
		out[i] = info{c, c.name}
	}
	return out, nil
}
