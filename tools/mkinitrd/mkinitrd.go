package main

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// entry is one regular file of the archive.
type entry struct {
	name string // clean relative path, e.g. "etc/motd"
	data []byte
	exec bool
	link string // symbolic link target, if this entry is a link
}

func run(out string, specs []string, links ...string) error {
	return runConfig(config{out: out, files: specs, links: links})
}

// config is what the command line asks for.
type config struct {
	out                        string
	files, links, trees, bases []string
	execs                      []string // like files, but executable (0755)
}

func runConfig(c config) error {
	out, specs, links := c.out, c.files, c.links
	if out == "" {
		return errors.New("--out is required")
	}
	var entries []entry
	for _, b := range c.bases {
		es, err := readBase(b)
		if err != nil {
			return err
		}
		entries = append(entries, es...)
	}
	for _, t := range c.trees {
		es, err := readTree(t)
		if err != nil {
			return err
		}
		entries = append(entries, es...)
	}
	// A file's mode is what the command line says (--exec or --file), never the host
	// file's: remote execution hands actions every input as executable.
	for i, s := range append(append([]string(nil), specs...), c.execs...) {
		exec, flag := i >= len(specs), "--file"
		if exec {
			flag = "--exec"
		}
		dest, src, ok := strings.Cut(s, "=")
		if !ok || dest == "" || src == "" {
			return fmt.Errorf("%s %q: want dest=src", flag, s)
		}
		data, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		entries = append(entries, entry{name: dest, data: data, exec: exec})
	}
	for _, l := range links {
		dest, target, ok := strings.Cut(l, "=")
		if !ok || dest == "" || target == "" {
			return fmt.Errorf("--link %q: want dest=target", l)
		}
		entries = append(entries, entry{name: dest, link: target})
	}
	var buf bytes.Buffer
	if err := writeTar(&buf, entries); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

// cleanName validates an archive path: relative, no "." or ".." elements.
func cleanName(name string) (string, error) {
	if name == "" || strings.HasPrefix(name, "/") || path.Clean(name) != name || name == "." ||
		name == ".." || strings.HasPrefix(name, "../") {
		return "", fmt.Errorf("bad archive path %q: want a clean relative path like etc/motd", name)
	}
	return name, nil
}

// writeTar writes entries, and the directories that hold them, as a USTAR
// archive in sorted order with fixed metadata.
func writeTar(w io.Writer, entries []entry) error {
	files := map[string]entry{}
	dirs := map[string]bool{}
	for _, e := range entries {
		name, err := cleanName(e.name)
		if err != nil {
			return err
		}
		if _, dup := files[name]; dup {
			return fmt.Errorf("duplicate archive path %q", name)
		}
		files[name] = e
		for d := path.Dir(name); d != "."; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	for d := range dirs {
		if _, clash := files[d]; clash {
			return fmt.Errorf("archive path %q is both a file and a directory", d)
		}
	}
	var names []string
	for n := range files {
		names = append(names, n)
	}
	for d := range dirs {
		names = append(names, d+"/")
	}
	sort.Strings(names)

	cw := &countingWriter{w: w}
	tw := tar.NewWriter(cw)
	for _, n := range names {
		hdr := &tar.Header{
			Name:    n,
			ModTime: time.Unix(0, 0),
			Format:  tar.FormatUSTAR,
		}
		var data []byte
		if strings.HasSuffix(n, "/") {
			hdr.Typeflag, hdr.Mode = tar.TypeDir, 0o755
		} else {
			e := files[n]
			data = e.data
			hdr.Typeflag, hdr.Mode, hdr.Size = tar.TypeReg, 0o644, int64(len(data))
			if e.exec {
				hdr.Mode = 0o755
			}
			if e.link != "" {
				hdr.Typeflag, hdr.Mode, hdr.Size, hdr.Linkname = tar.TypeSymlink, 0o777, 0, e.link
			} else if e.exec && len(data) >= pageSize {
				if err := tw.Flush(); err != nil { // the previous entry's padding
					return err
				}
				alignData(hdr, cw.n)
			}
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return fmt.Errorf("%s: %v", n, err)
		}
		if _, err := tw.Write(data); err != nil {
			return err
		}
	}
	return tw.Close()
}

// pageSize is the kernel's page size: an executable's data starts on a
// multiple of it in the archive.
const pageSize = 4096

// alignData makes the contents of the regular file hdr describes, whose
// header goes at archive offset off, start on a page boundary: a PAX
// extended header before it carries a "comment" record just long enough.
// The kernel then maps the file's read-only segments from the initrd's own
// pages instead of copying them (kern/proc/text.go); readers ignore the
// comment.
func alignData(hdr *tar.Header, off int64) {
	const block = 512
	// PAX header block, its records (whole blocks), the file's header block.
	recs := (-(off + 2*block)) % pageSize
	if recs < 0 {
		recs += pageSize
	}
	if recs == 0 {
		recs = pageSize
	}
	// A record is "<its length> comment=<value>\n".
	digits := int64(len(strconv.FormatInt(recs, 10)))
	hdr.Format = tar.FormatPAX
	hdr.PAXRecords = map[string]string{"comment": strings.Repeat("-", int(recs-digits)-len(" comment=\n"))}
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// readBase returns the regular files and symbolic links of a tar archive
// (directories are derived again from the paths).
func readBase(file string) ([]entry, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []entry
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("--base %s: %v", file, err)
		}
		switch h.Typeflag {
		case tar.TypeDir:
		case tar.TypeSymlink:
			out = append(out, entry{name: h.Name, link: h.Linkname})
		case tar.TypeReg:
			data, err := io.ReadAll(tr)
			if err != nil {
				return nil, fmt.Errorf("--base %s: %s: %v", file, h.Name, err)
			}
			out = append(out, entry{name: h.Name, data: data, exec: h.Mode&0o111 != 0})
		default:
			return nil, fmt.Errorf("--base %s: %s: unsupported entry type %q", file, h.Name, h.Typeflag)
		}
	}
}

// readTree returns every regular file under a host directory, for a
// "dest=srcdir" argument, at dest/<path relative to srcdir>.
func readTree(spec string) ([]entry, error) {
	dest, src, ok := strings.Cut(spec, "=")
	if !ok || dest == "" || src == "" {
		return nil, fmt.Errorf("--tree %q: want dest=srcdir", spec)
	}
	// Build sandboxes make the tree and its files symbolic links: follow them.
	src, err := filepath.EvalSymlinks(src)
	if err != nil {
		return nil, err
	}
	var out []entry
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if st, err := os.Stat(p); err != nil || !st.Mode().IsRegular() {
			return fmt.Errorf("--tree %s: %s is not a regular file", spec, p)
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		// Data files (0644), whatever the host mode (see runConfig).
		out = append(out, entry{name: path.Join(dest, filepath.ToSlash(rel)), data: data})
		return nil
	})
	return out, err
}
