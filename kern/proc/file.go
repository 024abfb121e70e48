package proc

import (
	"io/fs"
	"sync"

	"gojos/kern/abi/linux"
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

// Flags returns the O_* status flags.
func (of *openFile) Flags() uint32 {
	of.mu.Lock()
	defer of.mu.Unlock()
	return of.flags
}

// SetFlags replaces the status flags selected by mask.
func (of *openFile) SetFlags(mask, v uint32) {
	of.mu.Lock()
	of.flags = of.flags&^mask | v&mask
	of.mu.Unlock()
}

type fdEntry struct {
	of      *openFile
	cloexec bool
}

// FileTable is a process's descriptor table. Descriptors are 0 to
// MaxFDs-1 (Linux's RLIMIT_NOFILE); every user-supplied descriptor number
// is checked against that range, whatever its sign.
type FileTable struct {
	mu     sync.Mutex
	fds    []*fdEntry
	closed bool // CloseAll ran: the process is gone, nothing may be installed
}

// MaxFDs is the size of every descriptor table.
const MaxFDs = 256

// NewFileTable returns a table with stdin, stdout and stderr on f.
func NewFileTable(f File) *FileTable {
	of := &openFile{f: f, refs: 3, flags: linux.O_RDWR}
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

// Install puts f at the lowest free descriptor ≥ min. On error the caller
// still owns f.
func (t *FileTable) Install(f File, flags uint32, cloexec bool, min int) (int, error) {
	return t.installOf(&openFile{f: f, refs: 1, flags: flags}, cloexec, min)
}

// installOf installs a reference to of, which stays the caller's on error:
// EINVAL for min outside [0, MaxFDs) (F_DUPFD's rule), EMFILE when the
// table is full, EBADF once the table has been closed.
func (t *FileTable) installOf(of *openFile, cloexec bool, min int) (int, error) {
	if min < 0 || min >= MaxFDs {
		return -1, linux.Errno(linux.EINVAL)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return -1, linux.Errno(linux.EBADF)
	}
	for fd := min; fd < MaxFDs; fd++ {
		if fd >= len(t.fds) {
			t.fds = append(t.fds, make([]*fdEntry, fd-len(t.fds)+1)...)
		}
		if t.fds[fd] == nil {
			t.fds[fd] = &fdEntry{of: of, cloexec: cloexec}
			return fd, nil
		}
	}
	return -1, linux.Errno(linux.EMFILE)
}

// entry returns fd's entry (t.mu held).
func (t *FileTable) entry(fd int) (*fdEntry, error) {
	if fd < 0 || fd >= len(t.fds) || t.fds[fd] == nil {
		return nil, linux.Errno(linux.EBADF)
	}
	return t.fds[fd], nil
}

// Get returns the open file of fd.
func (t *FileTable) Get(fd int) (*openFile, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e, err := t.entry(fd)
	if err != nil {
		return nil, err
	}
	return e.of, nil
}

// Cloexec reports fd's close-on-exec flag.
func (t *FileTable) Cloexec(fd int) (bool, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e, err := t.entry(fd)
	if err != nil {
		return false, err
	}
	return e.cloexec, nil
}

// SetCloexec sets or clears fd's close-on-exec flag.
func (t *FileTable) SetCloexec(fd int, on bool) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	e, err := t.entry(fd)
	if err != nil {
		return err
	}
	e.cloexec = on
	return nil
}

func (of *openFile) hold() {
	of.mu.Lock()
	of.refs++
	of.mu.Unlock()
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

// Dup gives fd's open file another descriptor, the lowest free one ≥ min:
// EBADF for a bad fd, EINVAL for min outside [0, MaxFDs), EMFILE when
// there is none free.
func (t *FileTable) Dup(fd, min int, cloexec bool) (int, error) {
	of, err := t.Get(fd)
	if err != nil {
		return -1, err
	}
	of.hold()
	nfd, err := t.installOf(of, cloexec, min)
	if err != nil {
		of.release()
	}
	return nfd, err
}

// Close closes fd.
func (t *FileTable) Close(fd int) error {
	t.mu.Lock()
	e, err := t.entry(fd)
	if err != nil {
		t.mu.Unlock()
		return err
	}
	t.fds[fd] = nil
	t.mu.Unlock()
	return e.of.release()
}

// Dup2 makes newfd refer to oldfd's open file (EBADF if newfd is outside
// [0, MaxFDs) or oldfd is not open). oldfd == newfd is the caller's case.
func (t *FileTable) Dup2(oldfd, newfd int, cloexec bool) error {
	if newfd < 0 || newfd >= MaxFDs {
		return linux.Errno(linux.EBADF)
	}
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return linux.Errno(linux.EBADF)
	}
	e, err := t.entry(oldfd)
	if err != nil {
		t.mu.Unlock()
		return err
	}
	if oldfd == newfd {
		t.mu.Unlock()
		return nil
	}
	e.of.hold()
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

// CloseAll closes every descriptor; the table stays empty (a thread of
// the exiting process still in a system call cannot install new files).
func (t *FileTable) CloseAll() {
	t.mu.Lock()
	fds := t.fds
	t.fds = nil
	t.closed = true
	t.mu.Unlock()
	for _, e := range fds {
		if e != nil {
			e.of.release()
		}
	}
}

// Len returns the number of open descriptors.
func (t *FileTable) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, e := range t.fds {
		if e != nil {
			n++
		}
	}
	return n
}

// readCancel reads from f; a file that can wait (console, pipe) stops
// waiting with EINTR when cancel is closed (the reading process died).
func readCancel(f File, b []byte, cancel <-chan struct{}) (int, error) {
	if c, ok := f.(interface {
		ReadCancel([]byte, <-chan struct{}) (int, error)
	}); ok {
		return c.ReadCancel(b, cancel)
	}
	return f.Read(b)
}

// writeCancel is readCancel for writes.
func writeCancel(f File, b []byte, cancel <-chan struct{}) (int, error) {
	if c, ok := f.(interface {
		WriteCancel([]byte, <-chan struct{}) (int, error)
	}); ok {
		return c.WriteCancel(b, cancel)
	}
	return f.Write(b)
}
