package tarfs

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unsafe"
)

// ent is one archive entry for the tests.
type ent struct {
	name string
	typ  byte
	mode int64
	data string // contents, or link target
}

func reg(name, data string) ent   { return ent{name, tar.TypeReg, 0o644, data} }
func exe(name, data string) ent   { return ent{name, tar.TypeReg, 0o755, data} }
func dirent(name string) ent      { return ent{name, tar.TypeDir, 0o755, ""} }
func sym(name, target string) ent { return ent{name, tar.TypeSymlink, 0o777, target} }
func hard(name, target string) ent {
	return ent{name, tar.TypeLink, 0o644, target}
}

var mtime = time.Unix(1700000000, 0)

func mkTar(t testing.TB, format tar.Format, ents ...ent) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range ents {
		h := &tar.Header{Name: e.name, Typeflag: e.typ, Mode: e.mode, ModTime: mtime, Format: format}
		switch e.typ {
		case tar.TypeReg:
			h.Size = int64(len(e.data))
		case tar.TypeSymlink, tar.TypeLink:
			h.Linkname = e.data
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if e.typ == tar.TypeReg {
			if _, err := tw.Write([]byte(e.data)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// initrd looks like what tools/mkinitrd writes, plus links.
func initrd(t testing.TB) []byte {
	return mkTar(t, tar.FormatUSTAR,
		dirent("bin/"),
		exe("bin/gojos", "\x7fELF multi-call"),
		sym("bin/sh", "gojos"),
		sym("bin/ls", "/bin/gojos"),
		hard("bin/cat", "bin/gojos"),
		dirent("etc/"),
		reg("etc/motd", "Welcome to gojos.\n"),
		reg("lib/modules/test.ko", "module"), // implicit parents
		sym("lib/up", ".."),
		sym("loop/a", "b"),
		sym("loop/b", "a"),
		sym("dangling", "nowhere"),
		reg("empty", ""),
	)
}

func TestReadAndList(t *testing.T) {
	f, err := New(initrd(t))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"etc/motd":            "Welcome to gojos.\n",
		"bin/gojos":           "\x7fELF multi-call",
		"bin/sh":              "\x7fELF multi-call",
		"bin/ls":              "\x7fELF multi-call",
		"bin/cat":             "\x7fELF multi-call",
		"lib/up/etc/motd":     "Welcome to gojos.\n",
		"lib/modules/test.ko": "module",
		"empty":               "",
	} {
		got, err := fs.ReadFile(f, name)
		if err != nil || string(got) != want {
			t.Errorf("ReadFile(%s) = %q, %v; want %q", name, got, err, want)
		}
	}
	var names []string
	ents, err := f.ReadDir("bin")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		i, _ := e.Info()
		names = append(names, i.Mode().String()+" "+e.Name())
	}
	want := "-rwxr-xr-x cat,-rwxr-xr-x gojos,Lrwxrwxrwx ls,Lrwxrwxrwx sh"
	if got := strings.Join(names, ","); got != want {
		t.Errorf("ReadDir(bin) = %s\nwant %s", got, want)
	}
	ents, _ = f.ReadDir(".")
	names = names[:0]
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != "bin dangling empty etc lib loop" {
		t.Errorf("ReadDir(.) = %s", got)
	}
	st, err := f.Stat("lib")
	if err != nil || !st.IsDir() || st.Mode() != fs.ModeDir|0o755 || st.Name() != "lib" {
		t.Errorf("Stat(lib) = %v, %v (implicit parent)", st, err)
	}
	if st, err := f.Stat("bin/sh"); err != nil || st.Mode() != 0o755 || st.Size() != 15 || st.Name() != "sh" {
		t.Errorf("Stat(bin/sh) = %v, %v", st, err)
	}
	if st, err := f.Lstat("bin/sh"); err != nil || st.Mode() != fs.ModeSymlink|0o777 || st.Size() != 5 {
		t.Errorf("Lstat(bin/sh) = %v, %v", st, err)
	}
	if st, err := f.Stat("etc"); err != nil || !st.ModTime().Equal(mtime) {
		t.Errorf("Stat(etc) = %v, %v", st, err)
	}
	if l, err := f.ReadLink("bin/ls"); err != nil || l != "/bin/gojos" {
		t.Errorf("ReadLink(bin/ls) = %q, %v", l, err)
	}
	if l, err := f.ReadLink("dangling"); err != nil || l != "nowhere" {
		t.Errorf("ReadLink(dangling) = %q, %v", l, err)
	}
}

func TestZeroCopy(t *testing.T) {
	data := initrd(t)
	f, err := New(data)
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.Bytes("bin/cat")
	if err != nil {
		t.Fatal(err)
	}
	start := uintptr(unsafe.Pointer(&data[0]))
	p := uintptr(unsafe.Pointer(&b[0]))
	if p < start || p >= start+uintptr(len(data)) || cap(b) != len(b) {
		t.Errorf("Bytes is not a clipped sub-slice of the archive")
	}
	c, _ := f.ReadFile("bin/cat")
	c[0] = 'X'
	if b[0] != 0x7f {
		t.Errorf("ReadFile did not copy")
	}
}

func TestFileReaders(t *testing.T) {
	f, _ := New(initrd(t))
	h, err := f.Open("/bin/../etc/motd"[1:])
	if err == nil {
		t.Fatal("Open accepted a name with ..")
	}
	h, err = f.Open(Clean("/bin/../etc/motd"))
	if err != nil {
		t.Fatal(err)
	}
	r := h.(io.ReadSeeker)
	if _, err := r.Seek(11, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(r)
	if string(rest) != "gojos.\n" {
		t.Errorf("after Seek: %q", rest)
	}
	buf := make([]byte, 7)
	if n, err := h.(io.ReaderAt).ReadAt(buf, 0); n != 7 || err != nil || string(buf) != "Welcome" {
		t.Errorf("ReadAt = %d %v %q", n, err, buf)
	}
	h.Close()
	if _, err := h.Read(buf); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("Read after Close: %v", err)
	}
	if err := h.Close(); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("second Close: %v", err)
	}
	d, _ := f.Open("bin")
	if _, err := d.Read(buf); !errors.Is(err, ErrIsDir) {
		t.Errorf("Read on a directory: %v", err)
	}
	rd := d.(fs.ReadDirFile)
	var got []string
	for {
		es, err := rd.ReadDir(3)
		for _, e := range es {
			got = append(got, e.Name())
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if strings.Join(got, " ") != "cat gojos ls sh" {
		t.Errorf("ReadDir(3) loop: %v", got)
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"/bin/../bin/sh": "bin/sh", "/": ".", "": ".", "bin//sh/": "bin/sh",
		"../../etc": "etc", "./etc/./motd": "etc/motd",
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestErrors(t *testing.T) {
	f, _ := New(initrd(t))
	for _, tc := range []struct {
		name string
		want error
	}{
		{"missing", fs.ErrNotExist},
		{"dangling", fs.ErrNotExist},
		{"loop/a", ErrLoop},
		{"loop/a/x", ErrLoop},
		{"etc/motd/x", ErrNotDir},
		{"/etc/motd", fs.ErrInvalid},
		{"bin/../etc", fs.ErrInvalid},
		{"etc/", fs.ErrInvalid},
	} {
		_, err := f.Open(tc.name)
		var pe *fs.PathError
		if !errors.Is(err, tc.want) || !errors.As(err, &pe) || pe.Path != tc.name {
			t.Errorf("Open(%q) = %v, want a PathError for %v", tc.name, err, tc.want)
		}
	}
	if _, err := f.ReadDir("etc/motd"); !errors.Is(err, ErrNotDir) {
		t.Errorf("ReadDir(file) = %v", err)
	}
	if _, err := f.ReadFile("etc"); !errors.Is(err, ErrIsDir) {
		t.Errorf("ReadFile(dir) = %v", err)
	}
	if _, err := f.ReadLink("etc/motd"); !errors.Is(err, fs.ErrInvalid) {
		t.Errorf("ReadLink(file) = %v", err)
	}
	if _, err := f.Lstat("loop/a"); err != nil {
		t.Errorf("Lstat(loop/a) = %v", err)
	}
}

func TestRejects(t *testing.T) {
	good := mkTar(t, tar.FormatUSTAR, reg("a", strings.Repeat("x", 1000)))
	for _, tc := range []struct {
		name string
		data []byte
		msg  string
	}{
		{"truncated header", good[:100], "entry 0"},
		{"truncated contents", good[:700], "past the archive end"},
		{"garbage", bytes.Repeat([]byte{0x55}, 1024), "entry 0"},
		{"dotdot", mkTar(t, tar.FormatPAX, reg("../etc/passwd", "")), "leaves the archive root"},
		{"duplicate", mkTar(t, tar.FormatUSTAR, reg("a", ""), reg("a", "")), "duplicate"},
		{"dup dir", mkTar(t, tar.FormatUSTAR, dirent("d/"), dirent("d/")), "duplicate"},
		{"file as parent", mkTar(t, tar.FormatUSTAR, reg("a", ""), reg("a/b", "")), "not a directory"},
		{"dir over file", mkTar(t, tar.FormatUSTAR, reg("a", ""), dirent("a/")), "duplicate"},
		{"root file", mkTar(t, tar.FormatGNU, reg(".", "")), "root"},
		{"fifo", mkTar(t, tar.FormatUSTAR, ent{"p", tar.TypeFifo, 0o644, ""}), "unsupported entry type"},
		{"chardev", mkTar(t, tar.FormatUSTAR, ent{"c", tar.TypeChar, 0o644, ""}), "unsupported entry type"},
		{"hard missing", mkTar(t, tar.FormatUSTAR, hard("a", "b")), "missing b"},
		{"hard loop", mkTar(t, tar.FormatUSTAR, hard("a", "b"), hard("b", "a")), "hard link loop"},
		{"hard self", mkTar(t, tar.FormatUSTAR, hard("a", "a")), "hard link loop"},
		{"hard dir", mkTar(t, tar.FormatUSTAR, dirent("d/"), hard("a", "d")), "hard link to directory"},
		{"empty symlink", mkTar(t, tar.FormatUSTAR, sym("a", "")), "bad symbolic link"},
		// A USTAR prefix that is not UTF-8 (found by FuzzNew): the name
		// would be listed, then refused by every lookup.
		{"not UTF-8", ustarPrefix(mkTar(t, tar.FormatUSTAR, dirent("d/")), "\xff\xff\xfe"), "bad name"},
	} {
		_, err := New(tc.data)
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: New = %v, want an error containing %q", tc.name, err, tc.msg)
		}
	}
	if _, err := New(nil); err != nil {
		t.Errorf("empty archive: %v", err)
	}
}

func TestFormatsAndOrder(t *testing.T) {
	long := strings.Repeat("d", 120) + "/" + strings.Repeat("f", 120)
	for _, format := range []tar.Format{tar.FormatPAX, tar.FormatGNU} {
		data := mkTar(t, format,
			hard("later", "x/file"), // target listed afterwards
			reg("x/file", "hello"),
			dirent("x/"), // directory listed after its contents
			reg(long, "deep"),
			sym("./abs", "/x/file"),
			hard("/hl-sym", "abs"), // a hard link to a symbolic link
		)
		f, err := New(data)
		if err != nil {
			t.Fatalf("%v: %v", format, err)
		}
		for name, want := range map[string]string{"later": "hello", long: "deep", "abs": "hello", "hl-sym": "hello"} {
			if got, err := f.ReadFile(name); err != nil || string(got) != want {
				t.Errorf("%v: ReadFile(%s) = %q, %v", format, name, got, err)
			}
		}
		if st, _ := f.Stat("x"); st.ModTime() != mtime {
			t.Errorf("%v: explicit directory metadata lost", format)
		}
	}
}

func TestFSConformance(t *testing.T) {
	// The loop and dangling links would make fstest's walk fail; test
	// them above and hand fstest the rest.
	data := mkTar(t, tar.FormatPAX,
		exe("bin/gojos", "\x7fELF multi-call"),
		sym("bin/sh", "gojos"),
		hard("bin/cat", "bin/gojos"),
		reg("etc/motd", "Welcome to gojos.\n"),
		reg("lib/modules/test.ko", "module"),
		reg("empty", ""),
	)
	g, err := New(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := fstest.TestFS(g, "bin/gojos", "bin/sh", "bin/cat", "etc/motd", "lib/modules/test.ko", "empty"); err != nil {
		t.Error(err)
	}
}

// ustarPrefix writes prefix into the USTAR prefix field of the archive's
// first header and fixes its checksum.
func ustarPrefix(data []byte, prefix string) []byte {
	b := append([]byte(nil), data...)
	copy(b[345:500], prefix)
	copy(b[148:156], "        ")
	sum := 0
	for _, c := range b[:512] {
		sum += int(c)
	}
	copy(b[148:156], fmt.Sprintf("%06o\x00 ", sum))
	return b
}
