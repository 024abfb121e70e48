package proc

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"

	"gojos/kern/abi/linux"
)

// consoleFile is /dev/console: reads and writes go to the kernel's console.
type consoleFile struct{}

func (c consoleFile) Read(p []byte) (int, error) { return c.ReadCancel(p, nil) }

// ReadCancel reads through deps.ConsoleIn (when the kernel has set it), so a
// read abandoned by a dying process takes no input.
func (consoleFile) ReadCancel(p []byte, cancel <-chan struct{}) (int, error) {
	if deps.ConsoleIn != nil {
		return deps.ConsoleIn.Read(p, cancel)
	}
	return deps.Console.Read(p)
}
func (consoleFile) Write(p []byte) (int, error) { return deps.Console.Write(p) }
func (consoleFile) Close() error                { return nil }
func (consoleFile) Stat() (fs.FileInfo, error) {
	return fakeInfo{"console", 0, fs.ModeDevice | fs.ModeCharDevice | 0o620}, nil
}

// nullFile is /dev/null: reads see end of file, writes vanish.
type nullFile struct{}

func (nullFile) Read([]byte) (int, error)    { return 0, io.EOF }
func (nullFile) Write(p []byte) (int, error) { return len(p), nil }
func (nullFile) Close() error                { return nil }
func (nullFile) Stat() (fs.FileInfo, error) {
	return fakeInfo{"null", 0, fs.ModeDevice | fs.ModeCharDevice | 0o666}, nil
}

// ConsoleFile is the file stdin, stdout and stderr of init refer to.
var ConsoleFile File = consoleFile{}

// fsFile wraps a file of an fs.FS (read-only).
type fsFile struct{ f fs.File }

func (f fsFile) Read(p []byte) (int, error) { return f.f.Read(p) }
func (f fsFile) Write([]byte) (int, error)  { return 0, linux.Errno(linux.EBADF) }
func (f fsFile) Close() error               { return f.f.Close() }
func (f fsFile) Stat() (fs.FileInfo, error) { return f.f.Stat() }
func (f fsFile) Seek(off int64, whence int) (int64, error) {
	if s, ok := f.f.(io.Seeker); ok {
		return s.Seek(off, whence)
	}
	return 0, linux.Errno(linux.ESPIPE)
}
func (f fsFile) ReadDir(n int) ([]fs.DirEntry, error) {
	if d, ok := f.f.(fs.ReadDirFile); ok {
		return d.ReadDir(n)
	}
	return nil, linux.Errno(linux.ENOTDIR)
}

// memFile is a read-only file with fixed contents (/proc files).
type memFile struct {
	r    *bytes.Reader
	info fakeInfo
}

func (f *memFile) Read(p []byte) (int, error) { return f.r.Read(p) }
func (f *memFile) Write([]byte) (int, error)  { return 0, linux.Errno(linux.EBADF) }
func (f *memFile) Close() error               { return nil }
func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Seek(off int64, whence int) (int64, error) {
	return f.r.Seek(off, whence)
}

// memDir is a synthetic directory.
type memDir struct {
	info    fakeInfo
	entries []fs.DirEntry
}

func (d *memDir) Read([]byte) (int, error)   { return 0, linux.Errno(linux.EISDIR) }
func (d *memDir) Write([]byte) (int, error)  { return 0, linux.Errno(linux.EBADF) }
func (d *memDir) Close() error               { return nil }
func (d *memDir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *memDir) ReadDir(n int) ([]fs.DirEntry, error) {
	e := d.entries
	if n > 0 && len(e) > n {
		e = e[:n]
	}
	d.entries = d.entries[len(e):]
	if n > 0 && len(e) == 0 {
		return nil, io.EOF
	}
	return e, nil
}

type dirEntry struct{ info fakeInfo }

func (e dirEntry) Name() string               { return e.info.name }
func (e dirEntry) IsDir() bool                { return e.info.IsDir() }
func (e dirEntry) Type() fs.FileMode          { return e.info.mode.Type() }
func (e dirEntry) Info() (fs.FileInfo, error) { return e.info, nil }

// Resolve turns a path relative to cwd into a clean absolute path.
func Resolve(cwd, p string) string {
	if !path.IsAbs(p) {
		p = path.Join(cwd, p)
	}
	return path.Clean(p)
}

// Open opens an absolute, clean path for reading, as the kernel sees it.
func Open(p string) (File, error) { return openAs(p, true) }

// openAs opens p for a reader who sees kernel addresses in /proc files or
// not (kptr.go).
func openAs(p string, showAddrs bool) (File, error) {
	switch {
	case p == "/dev/console" || p == "/dev/tty":
		return ConsoleFile, nil
	case p == "/dev/null":
		return nullFile{}, nil
	case p == "/dev/kmsg" && !showAddrs:
		return nil, linux.Errno(linux.EPERM) // the log holds kernel addresses (dmesg_restrict)
	case p == "/dev/kmsg":
		return &kmsgFile{}, nil
	case p == "/dev":
		return &memDir{fakeInfo{"dev", 0, fs.ModeDir | 0o755}, []fs.DirEntry{
			dirEntry{fakeInfo{"console", 0, fs.ModeDevice | fs.ModeCharDevice | 0o620}},
			dirEntry{fakeInfo{"kmsg", 0, fs.ModeDevice | fs.ModeCharDevice | 0o644}},
			dirEntry{fakeInfo{"null", 0, fs.ModeDevice | fs.ModeCharDevice | 0o666}},
		}}, nil
	case p == "/proc" || strings.HasPrefix(p, "/proc/"):
		return openProc(strings.TrimPrefix(strings.TrimPrefix(p, "/proc"), "/"), showAddrs)
	}
	if deps.Root == nil {
		return nil, linux.Errno(linux.ENOENT)
	}
	name := strings.TrimPrefix(p, "/")
	if name == "" {
		name = "."
	}
	f, err := deps.Root.Open(name)
	if err != nil {
		return nil, err
	}
	return fsFile{f}, nil
}

// ReadFile reads a whole file by absolute path.
func ReadFile(p string) ([]byte, error) {
	f, err := Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// FileBytes returns a file's whole contents for reading only (see
// fileBytes): the kernel's own readers of big initrd files use it.
func FileBytes(p string) ([]byte, error) { return fileBytes(p) }

// fileBytes returns a file's whole contents for reading only: a slice of
// the initrd itself when the file lives there (no copy: exec reads a
// program without a second copy of it on the kernel heap), else a copy.
func fileBytes(p string) ([]byte, error) {
	if b, ok := deps.Root.(interface{ Bytes(string) ([]byte, error) }); ok && !strings.HasPrefix(p, "/proc") && !strings.HasPrefix(p, "/dev") {
		name := strings.TrimPrefix(p, "/")
		if name == "" {
			name = "."
		}
		if data, err := b.Bytes(name); err == nil {
			return data, nil
		}
	}
	return ReadFile(p)
}

// ProcFiles maps extra /proc file names (kallsyms, modules…) to generators.
var (
	procMu    sync.Mutex
	ProcFiles = map[string]func() []byte{}
)

// RegisterProcFile adds /proc/<name> with contents from gen.
func RegisterProcFile(name string, gen func() []byte) {
	procMu.Lock()
	ProcFiles[name] = gen
	procMu.Unlock()
}

func openProc(rel string, showAddrs bool) (File, error) {
	parts := strings.Split(rel, "/")
	switch {
	case rel == "":
		var es []fs.DirEntry
		tableMu.Lock()
		pids := make([]int, 0, len(procs))
		for pid := range procs {
			pids = append(pids, pid)
		}
		tableMu.Unlock()
		sort.Ints(pids)
		for _, pid := range pids {
			es = append(es, dirEntry{fakeInfo{strconv.Itoa(pid), 0, fs.ModeDir | 0o555}})
		}
		es = append(es, dirEntry{fakeInfo{"self", 0, fs.ModeSymlink | 0o777}})
		procMu.Lock()
		var names []string
		for n := range ProcFiles {
			names = append(names, n)
		}
		procMu.Unlock()
		sort.Strings(names)
		return &memDir{fakeInfo{"proc", 0, fs.ModeDir | 0o555}, append(es, procFileEntries(names, "")...)}, nil
	}
	if f := openProcFile(rel, showAddrs); f != nil {
		return f, nil
	}
	pid, err := strconv.Atoi(parts[0])
	if err != nil {
		return nil, linux.Errno(linux.ENOENT)
	}
	tableMu.Lock()
	p := procs[pid]
	tableMu.Unlock()
	if p == nil {
		return nil, linux.Errno(linux.ENOENT)
	}
	if len(parts) == 1 {
		return &memDir{fakeInfo{parts[0], 0, fs.ModeDir | 0o555},
			[]fs.DirEntry{dirEntry{fakeInfo{"status", 0, 0o444}}}}, nil
	}
	if len(parts) == 2 && parts[1] == "status" {
		b := p.statusText()
		return &memFile{bytes.NewReader(b), fakeInfo{"status", int64(len(b)), 0o444}}, nil
	}
	return nil, linux.Errno(linux.ENOENT)
}

// procFileEntries lists the entries of the registered /proc files (names,
// which may hold slashes: "sys/kernel/tainted") directly in directory dir
// ("" for /proc itself): files, and directories once each.
func procFileEntries(names []string, dir string) []fs.DirEntry {
	var es []fs.DirEntry
	seen := map[string]bool{}
	for _, n := range names {
		if dir != "" {
			if !strings.HasPrefix(n, dir+"/") {
				continue
			}
			n = n[len(dir)+1:]
		}
		if i := strings.IndexByte(n, '/'); i >= 0 {
			if d := n[:i]; !seen[d] {
				seen[d] = true
				es = append(es, dirEntry{fakeInfo{d, 0, fs.ModeDir | 0o555}})
			}
			continue
		}
		es = append(es, dirEntry{fakeInfo{n, 0, 0o444}})
	}
	return es
}

// openProcFile opens a registered /proc file, or a directory holding some,
// by its path below /proc; nil if there is none. Without showAddrs, the
// kernel addresses in it are zeros.
func openProcFile(rel string, showAddrs bool) File {
	procMu.Lock()
	gen := ProcFiles[rel]
	// Only the names below rel, for a directory: most opens are of a file
	// or of nothing registered (the Go runtime looks for /proc/self/cgroup
	// at every start), and need none.
	var names []string
	if gen == nil {
		for n := range ProcFiles {
			if rel == "" || strings.HasPrefix(n, rel) && len(n) > len(rel) && n[len(rel)] == '/' {
				names = append(names, n)
			}
		}
	}
	procMu.Unlock()
	if gen != nil {
		b := gen()
		if !showAddrs && addrFiles[rel] {
			b = []byte(HideAddrs(string(b)))
		}
		return &memFile{bytes.NewReader(b), fakeInfo{path.Base(rel), int64(len(b)), 0o444}}
	}
	if len(names) == 0 {
		return nil
	}
	sort.Strings(names)
	if es := procFileEntries(names, rel); len(es) > 0 {
		return &memDir{fakeInfo{path.Base(rel), 0, fs.ModeDir | 0o555}, es}
	}
	return nil
}

func (p *Process) statusText() []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	state := "S (sleeping)"
	if p.exited {
		state = "Z (zombie)"
	}
	ppid := 0
	if parent := p.Parent(); parent != nil {
		ppid = parent.Pid
	}
	name := p.Name
	if len(name) > 15 {
		name = name[:15]
	}
	return []byte(fmt.Sprintf("Name:\t%s\nState:\t%s\nPid:\t%d\nPPid:\t%d\n%sThreads:\t%d\n",
		name, state, p.Pid, ppid, p.cred.StatusLines(), len(p.threads)))
}
