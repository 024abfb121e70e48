package main

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
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
	if out == "" {
		return errors.New("--out is required")
	}
	var entries []entry
	for _, s := range specs {
		dest, src, ok := strings.Cut(s, "=")
		if !ok || dest == "" || src == "" {
			return fmt.Errorf("--file %q: want dest=src", s)
		}
		data, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		st, err := os.Stat(src)
		if err != nil {
			return err
		}
		entries = append(entries, entry{name: dest, data: data, exec: st.Mode()&0o111 != 0})
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

	tw := tar.NewWriter(w)
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
