// Package tarfs is a read-only, in-memory file system over a tar archive:
// the gojos initrd, mounted as / by the kernel.
//
// New parses the archive once and builds a tree of nodes; file contents are
// never copied — each regular file is a sub-slice of the archive bytes.
// Regular files, directories (parents are implied when the archive does not
// list them), symbolic links and hard links are supported. Any other entry
// type (devices, FIFOs, sparse files) and any malformed archive is rejected.
//
// FS implements fs.FS, fs.ReadDirFS, fs.ReadFileFS, fs.StatFS and
// fs.ReadLinkFS; names follow io/fs rules (slash-separated, relative, no "."
// or ".." elements; "." is the root). Symbolic links are followed by Open,
// Stat, ReadDir and ReadFile; ReadLink and Lstat do not follow the last
// element. Clean turns a POSIX path such as "/bin/../bin/sh" into an io/fs
// name; ".." is resolved lexically, before any symbolic link is followed.
//
// Errors are *fs.PathError wrapping fs.ErrNotExist, fs.ErrInvalid, ErrNotDir,
// ErrIsDir or ErrLoop, so a kernel can map them to ENOENT, EINVAL, ENOTDIR,
// EISDIR and ELOOP with errors.Is.
package tarfs

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Errors besides the io/fs ones.
var (
	ErrNotDir = errors.New("not a directory")
	ErrIsDir  = errors.New("is a directory")
	ErrLoop   = errors.New("too many levels of symbolic links")
)

// MaxSymlinks is how many symbolic links one lookup may follow (Linux's
// limit) before it fails with ErrLoop.
const MaxSymlinks = 40

// FS is a read-only file system over a tar archive. It is safe for
// concurrent use: nothing in it changes after New.
type FS struct {
	data []byte
	root *node
}

// node is one file, directory or symbolic link.
type node struct {
	name     string // base name; "." for the root
	path     string // io/fs name, "." for the root
	mode     fs.FileMode
	modTime  time.Time
	off, n   int64            // contents: data[off:off+n] (regular files)
	target   string           // symbolic link destination, as stored
	children map[string]*node // directories
	sorted   []*node          // directories: children by name

	hardlink string // while parsing: the archive name this entry links to
}

func (n *node) isDir() bool     { return n.mode.IsDir() }
func (n *node) isSymlink() bool { return n.mode&fs.ModeSymlink != 0 }

// New parses a tar archive (USTAR, PAX or GNU) held in data. The returned
// FS refers to data: the caller must not modify it afterwards.
func New(data []byte) (*FS, error) {
	hdrs, ok := quickHeaders(data)
	var tarErr error // archive/tar's, reported after the entries before it
	if !ok {
		hdrs, tarErr = tarHeaders(data)
	}
	f := &FS{data: data, root: newDir(".", ".", fs.ModeDir|0o755, time.Time{})}
	explicit := map[string]bool{} // names listed by the archive itself
	var links []*node
	for i, h := range hdrs {
		hdr, off := h.hdr, h.off
		name, err := archiveName(hdr.Name)
		if err != nil {
			return nil, fmt.Errorf("tarfs: entry %d: %w", i, err)
		}
		n, err := f.entry(hdr, name, off)
		if err != nil {
			return nil, fmt.Errorf("tarfs: %s: %w", name, err)
		}
		if explicit[name] {
			return nil, fmt.Errorf("tarfs: %s: duplicate entry", name)
		}
		explicit[name] = true
		if err := f.insert(n); err != nil {
			return nil, fmt.Errorf("tarfs: %s: %w", name, err)
		}
		if n.hardlink != "" {
			links = append(links, n)
		}
	}
	if tarErr != nil {
		return nil, tarErr
	}
	if err := f.resolveHardlinks(links); err != nil {
		return nil, err
	}
	f.root.sortAll()
	return f, nil
}

// tarHeaders reads the archive's headers with archive/tar: any tar
// archive (USTAR, PAX or GNU), for those quickHeaders declines. On an error
// it returns the headers before it too.
func tarHeaders(data []byte) ([]header, error) {
	r := bytes.NewReader(data)
	tr := tar.NewReader(r)
	var hdrs []header
	for i := 0; ; i++ {
		hdr, err := tr.Next()
		if err == io.EOF {
			return hdrs, nil
		}
		if err != nil {
			return hdrs, fmt.Errorf("tarfs: entry %d: %w", i, err)
		}
		hdrs = append(hdrs, header{hdr, r.Size() - int64(r.Len())})
	}
}

// archiveName turns a name as stored in the archive ("./bin/sh", "/etc/",
// "bin/") into an io/fs name, rejecting names that escape the root.
func archiveName(s string) (string, error) {
	if s == "" || strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s) {
		return "", fmt.Errorf("bad name %q", s) // io/fs names are UTF-8
	}
	c := path.Clean("/" + s)
	for _, e := range strings.Split(s, "/") {
		if e == ".." {
			return "", fmt.Errorf("name %q leaves the archive root", s)
		}
	}
	if c == "/" {
		return ".", nil
	}
	return c[1:], nil
}

// entry builds the node for one header; off is where its contents start.
func (f *FS) entry(hdr *tar.Header, name string, off int64) (*node, error) {
	perm := fs.FileMode(hdr.Mode) & (fs.ModePerm)
	if hdr.Mode&0o4000 != 0 {
		perm |= fs.ModeSetuid
	}
	if hdr.Mode&0o2000 != 0 {
		perm |= fs.ModeSetgid
	}
	if hdr.Mode&0o1000 != 0 {
		perm |= fs.ModeSticky
	}
	base := path.Base(name)
	switch hdr.Typeflag {
	case tar.TypeDir:
		return newDir(base, name, fs.ModeDir|perm, hdr.ModTime), nil
	case tar.TypeReg, tar.TypeRegA:
		if strings.HasSuffix(hdr.Name, "/") {
			return nil, errors.New("regular file name ends in a slash")
		}
		if hdr.Size < 0 || off > int64(len(f.data)) || hdr.Size > int64(len(f.data))-off {
			return nil, fmt.Errorf("contents (%d bytes at %d) run past the archive end", hdr.Size, off)
		}
		if name == "." {
			return nil, errors.New("root is not a directory")
		}
		return &node{name: base, path: name, mode: perm, modTime: hdr.ModTime, off: off, n: hdr.Size}, nil
	case tar.TypeSymlink:
		if hdr.Linkname == "" || strings.IndexByte(hdr.Linkname, 0) >= 0 {
			return nil, fmt.Errorf("bad symbolic link target %q", hdr.Linkname)
		}
		if name == "." {
			return nil, errors.New("root is not a directory")
		}
		return &node{name: base, path: name, mode: fs.ModeSymlink | 0o777, modTime: hdr.ModTime, target: hdr.Linkname}, nil
	case tar.TypeLink:
		target, err := archiveName(hdr.Linkname)
		if err != nil || target == "." {
			return nil, fmt.Errorf("bad hard link target %q", hdr.Linkname)
		}
		if name == "." {
			return nil, errors.New("root is not a directory")
		}
		return &node{name: base, path: name, modTime: hdr.ModTime, hardlink: target}, nil
	}
	return nil, fmt.Errorf("unsupported entry type %q", hdr.Typeflag)
}

func newDir(name, p string, mode fs.FileMode, mt time.Time) *node {
	return &node{name: name, path: p, mode: mode, modTime: mt, children: map[string]*node{}}
}

// insert places n in the tree, creating missing parent directories. A
// directory listed after its contents (or twice) keeps its children and
// takes the listed mode.
func (f *FS) insert(n *node) error {
	if n.path == "." {
		f.root.mode, f.root.modTime = n.mode, n.modTime
		return nil
	}
	dir := f.root
	elems := strings.Split(n.path, "/")
	for i, e := range elems[:len(elems)-1] {
		c := dir.children[e]
		if c == nil {
			c = newDir(e, strings.Join(elems[:i+1], "/"), fs.ModeDir|0o755, time.Time{})
			dir.children[e] = c
		} else if !c.isDir() {
			return fmt.Errorf("parent %s: %w", c.path, ErrNotDir)
		}
		dir = c
	}
	old := dir.children[n.name]
	if old != nil {
		if !old.isDir() || !n.isDir() {
			return errors.New("duplicate entry")
		}
		old.mode, old.modTime = n.mode, n.modTime
		return nil
	}
	dir.children[n.name] = n
	return nil
}

// resolveHardlinks gives every hard link the contents and mode of the entry
// it names. Targets are archive names (not followed through symbolic links)
// and may themselves be hard links; a cycle is an error.
func (f *FS) resolveHardlinks(links []*node) error {
	for _, l := range links {
		seen := map[*node]bool{l: true}
		t := l
		for t.hardlink != "" {
			next := f.exact(t.hardlink)
			if next == nil {
				return fmt.Errorf("tarfs: %s: hard link to missing %s", l.path, t.hardlink)
			}
			if seen[next] {
				return fmt.Errorf("tarfs: %s: hard link loop through %s", l.path, t.hardlink)
			}
			seen[next] = true
			t = next
		}
		if t.isDir() {
			return fmt.Errorf("tarfs: %s: hard link to directory %s", l.path, t.path)
		}
		l.mode, l.off, l.n, l.target = t.mode, t.off, t.n, t.target
		l.hardlink = ""
	}
	return nil
}

// exact finds an archive name without following symbolic links.
func (f *FS) exact(name string) *node {
	n := f.root
	for _, e := range strings.Split(name, "/") {
		if n.children == nil {
			return nil
		}
		if n = n.children[e]; n == nil {
			return nil
		}
	}
	return n
}

func (n *node) sortAll() {
	if !n.isDir() {
		return
	}
	n.sorted = make([]*node, 0, len(n.children))
	for _, c := range n.children {
		n.sorted = append(n.sorted, c)
		c.sortAll()
	}
	sort.Slice(n.sorted, func(i, j int) bool { return n.sorted[i].name < n.sorted[j].name })
}

// Clean turns a slash-separated POSIX path into an io/fs name: absolute
// and relative paths are both taken from the root, "." and ".." elements
// and repeated slashes are removed lexically ("/bin/../bin/sh" → "bin/sh",
// "/" → "."). A kernel joins a relative path with the working directory
// first.
func Clean(p string) string {
	c := path.Clean("/" + p)
	if c == "/" {
		return "."
	}
	return c[1:]
}

// lookup resolves an io/fs name, following symbolic links in every element
// but the last, and in the last one too if follow is set.
func (f *FS) lookup(op, name string, follow bool) (*node, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	var elems []string
	if name != "." {
		elems = strings.Split(name, "/")
	}
	n, hops := f.root, 0
	for i := 0; i < len(elems); i++ {
		if !n.isDir() {
			return nil, &fs.PathError{Op: op, Path: name, Err: ErrNotDir}
		}
		c := n.children[elems[i]]
		if c == nil {
			return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
		}
		if c.isSymlink() && (follow || i < len(elems)-1) {
			if hops++; hops > MaxSymlinks {
				return nil, &fs.PathError{Op: op, Path: name, Err: ErrLoop}
			}
			p := c.target
			if !path.IsAbs(p) {
				p = n.path + "/" + p
			}
			p = Clean(p + "/" + strings.Join(elems[i+1:], "/"))
			elems, i, n = nil, -1, f.root
			if p != "." {
				elems = strings.Split(p, "/")
			}
			continue
		}
		n = c
	}
	return n, nil
}

// Open opens the named file or directory, following symbolic links.
// Regular files implement io.ReaderAt and io.Seeker; directories
// implement fs.ReadDirFile.
func (f *FS) Open(name string) (fs.File, error) {
	n, err := f.lookup("open", name, true)
	if err != nil {
		return nil, err
	}
	if n.isDir() {
		return &dir{info: info{n, path.Base(name)}}, nil
	}
	return &file{info: info{n, path.Base(name)}, r: *bytes.NewReader(f.bytes(n))}, nil
}

func (f *FS) bytes(n *node) []byte { return f.data[n.off : n.off+n.n : n.off+n.n] }

// Stat describes the named file, following symbolic links.
func (f *FS) Stat(name string) (fs.FileInfo, error) {
	n, err := f.lookup("stat", name, true)
	if err != nil {
		return nil, err
	}
	return info{n, path.Base(name)}, nil
}

// Lstat describes the named file; a symbolic link is described itself.
func (f *FS) Lstat(name string) (fs.FileInfo, error) {
	n, err := f.lookup("lstat", name, false)
	if err != nil {
		return nil, err
	}
	return info{n, path.Base(name)}, nil
}

// ReadLink returns the destination of a symbolic link as stored.
func (f *FS) ReadLink(name string) (string, error) {
	n, err := f.lookup("readlink", name, false)
	if err != nil {
		return "", err
	}
	if !n.isSymlink() {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: fs.ErrInvalid}
	}
	return n.target, nil
}

// ReadDir lists a directory sorted by name.
func (f *FS) ReadDir(name string) ([]fs.DirEntry, error) {
	n, err := f.lookup("readdir", name, true)
	if err != nil {
		return nil, err
	}
	if !n.isDir() {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: ErrNotDir}
	}
	out := make([]fs.DirEntry, len(n.sorted))
	for i, c := range n.sorted {
		out[i] = info{c, c.name}
	}
	return out, nil
}

// ReadFile returns a copy of a regular file's contents.
func (f *FS) ReadFile(name string) ([]byte, error) {
	b, err := f.Bytes(name)
	if err != nil {
		if pe, ok := err.(*fs.PathError); ok {
			pe.Op = "readfile"
		}
		return nil, err
	}
	return append([]byte(nil), b...), nil
}

// Bytes returns a regular file's contents without copying: a sub-slice of
// the archive (its capacity ends with the file). The caller must not
// modify it.
func (f *FS) Bytes(name string) ([]byte, error) {
	n, err := f.lookup("open", name, true)
	if err != nil {
		return nil, err
	}
	if n.isDir() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: ErrIsDir}
	}
	return f.bytes(n), nil
}
