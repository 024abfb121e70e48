package proc

import (
	"errors"
	"io"
	"io/fs"
	"sync"
	"syscall"
)

// File is an open file of a process.
type File interface {
	Read(p []byte) (int, error)
	Write(p []byte) (int, error)
	Close() error
	Stat() (fs.FileInfo, error)
}

// openFile is a File shared by descriptors (dup, fork) with a count.
type openFile struct {
	f     File
	refs  int
	flags uint32 // O_* status flags
	mu    sync.Mutex
	dir   []fs.DirEntry // remaining entries for getdents64
	dirOK bool
}

type fdEntry struct {
	of      *openFile
	cloexec bool
}

// FileTable is a process's descriptor table.
type FileTable struct {
	mu  sync.Mutex
	fds []*fdEntry
}

// NewFileTable returns a table with stdin, stdout and stderr on f.
func NewFileTable(f File) *FileTable {
	of := &openFile{f: f, refs: 3, flags: syscall.O_RDWR}
	return &FileTable{fds: []*fdEntry{{of: of}, {of: of}, {of: of}}}
}

// Fork copies the table (every descriptor shares its open file).
func (t *FileTable) Fork() *FileTable {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := &FileTable{fds: make([]*fdEntry, len(t.fds))}
	for i, e := range t.fds {
		if e != nil {
			e.of.mu.Lock()
			e.of.refs++
			e.of.mu.Unlock()
			n.fds[i] = &fdEntry{of: e.of, cloexec: e.cloexec}
		}
	}
	return n
}

const maxFDs = 256

// Install puts f at the lowest free descriptor ≥ min.
func (t *FileTable) Install(f File, flags uint32, cloexec bool, min int) (int, error) {
	return t.installOf(&openFile{f: f, refs: 1, flags: flags}, cloexec, min)
}

func (t *FileTable) installOf(of *openFile, cloexec bool, min int) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for fd := min; fd < maxFDs; fd++ {
		if fd >= len(t.fds) {
			t.fds = append(t.fds, make([]*fdEntry, fd-len(t.fds)+1)...)
		}
		if t.fds[fd] == nil {
			t.fds[fd] = &fdEntry{of: of, cloexec: cloexec}
			return fd, nil
		}
	}
	return -1, syscall.EMFILE
}

func (t *FileTable) get(fd int) (*fdEntry, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if fd < 0 || fd >= len(t.fds) || t.fds[fd] == nil {
		return nil, syscall.EBADF
	}
	return t.fds[fd], nil
}

// Get returns the open file of fd.
func (t *FileTable) Get(fd int) (*openFile, error) {
	e, err := t.get(fd)
	if err != nil {
		return nil, err
	}
	return e.of, nil
}

func (of *openFile) release() error {
	of.mu.Lock()
	of.refs--
	last := of.refs == 0
	of.mu.Unlock()
	if last {
		return of.f.Close()
	}
	return nil
}

// Dup gives fd's open file another descriptor, the lowest free one ≥ min.
func (t *FileTable) Dup(fd, min int, cloexec bool) (int, error) {
	e, err := t.get(fd)
	if err != nil {
		return -1, err
	}
	e.of.mu.Lock()
	e.of.refs++
	e.of.mu.Unlock()
	nfd, err := t.installOf(e.of, cloexec, min)
	if err != nil {
		e.of.release()
	}
	return nfd, err
}

// Close closes fd.
func (t *FileTable) Close(fd int) error {
	t.mu.Lock()
	if fd < 0 || fd >= len(t.fds) || t.fds[fd] == nil {
		t.mu.Unlock()
		return syscall.EBADF
	}
	e := t.fds[fd]
	t.fds[fd] = nil
	t.mu.Unlock()
	return e.of.release()
}

// Dup2 makes newfd refer to oldfd's open file.
func (t *FileTable) Dup2(oldfd, newfd int, cloexec bool) error {
	if newfd < 0 || newfd >= maxFDs {
		return syscall.EBADF
	}
	e, err := t.get(oldfd)
	if err != nil {
		return err
	}
	if oldfd == newfd {
		return nil
	}
	e.of.mu.Lock()
	e.of.refs++
	e.of.mu.Unlock()
	t.mu.Lock()
	if newfd >= len(t.fds) {
		t.fds = append(t.fds, make([]*fdEntry, newfd-len(t.fds)+1)...)
	}
	old := t.fds[newfd]
	t.fds[newfd] = &fdEntry{of: e.of, cloexec: cloexec}
	t.mu.Unlock()
	if old != nil {
		old.of.release()
	}
	return nil
}

// CloseOnExec closes the descriptors marked close-on-exec.
func (t *FileTable) CloseOnExec() {
	t.mu.Lock()
	var rel []*openFile
	for i, e := range t.fds {
		if e != nil && e.cloexec {
			rel = append(rel, e.of)
			t.fds[i] = nil
		}
	}
	t.mu.Unlock()
	for _, of := range rel {
		of.release()
	}
}

// CloseAll closes every descriptor.
func (t *FileTable) CloseAll() {
	t.mu.Lock()
	fds := t.fds
	t.fds = nil
	t.mu.Unlock()
	for _, e := range fds {
		if e != nil {
			e.of.release()
		}
	}
}

// errno turns an error into a negative errno value.
func errno(err error) int32 {
	if err == nil {
		return 0
	}
	var en syscall.Errno
	if errors.As(err, &en) {
		return -int32(en)
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return -int32(syscall.ENOENT)
	case errors.Is(err, fs.ErrPermission):
		return -int32(syscall.EACCES)
	case errors.Is(err, fs.ErrExist):
		return -int32(syscall.EEXIST)
	case errors.Is(err, fs.ErrInvalid):
		return -int32(syscall.EINVAL)
	case errors.Is(err, ErrFault):
		return -int32(syscall.EFAULT)
	case errors.Is(err, io.ErrClosedPipe):
		return -int32(syscall.EPIPE)
	}
	return -int32(syscall.EIO)
}
