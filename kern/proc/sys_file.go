package proc

import (
	"encoding/binary"
	"io"
	"io/fs"

	"gojos/kern/abi/linux"
)

// maxIO is the most one read or write moves through the kernel; a longer
// request is a partial read or write, as Linux allows.
const maxIO = 64 << 10

// ioRange checks a read or write buffer the way Linux does before any I/O:
// EFAULT if [buf, buf+n) is not inside user space at all, then the length
// capped at maxIO and cut at the first page the process cannot access
// (EFAULT if that leaves nothing). So a bad buffer fails at once, before a
// console or pipe read waits for (and swallows) input it cannot deliver,
// and a huge length never makes the kernel allocate a huge buffer.
func (t *Thread) ioRange(buf, n uint32, write bool) (uint32, int32) {
	if !userRange(buf, n) {
		return 0, -linux.EFAULT
	}
	n = t.P.as.accessible(buf, min(n, maxIO), write)
	if n == 0 {
		return 0, -linux.EFAULT
	}
	return n, 0
}

// smallIO is the size up to which read and write move their bytes
// through a buffer of the thread's own instead of a new one (a shell's
// line editor reads and echoes one byte at a time). No File keeps the
// slice given to its Read or Write past the call, and a thread makes one
// system call at a time.
const smallIO = 256

func (t *Thread) ioBuffer(n uint32) []byte {
	if n <= smallIO {
		return t.ioBuf[:n]
	}
	return make([]byte, n)
}

func (t *Thread) sysRead(fd int, buf, n uint32) int32 {
	of, err := t.P.files.Get(fd)
	if err != nil {
		return errno(err)
	}
	if n == 0 {
		return 0
	}
	n, e := t.ioRange(buf, n, true)
	if e != 0 {
		return e
	}
	b := t.ioBuffer(n)
	k, err := readCancel(of.f, b, t.waitCh())
	if k == 0 && err == linux.Errno(linux.EINTR) {
		return t.waitErr()
	}
	if k == 0 && err != nil && err != io.EOF {
		return errno(err)
	}
	return errnoOr(t.P.as.CopyOut(buf, b[:k]), int32(k))
}

func (t *Thread) sysWrite(fd int, buf, n uint32) int32 {
	of, err := t.P.files.Get(fd)
	if err != nil {
		return errno(err)
	}
	if n == 0 {
		return 0
	}
	n, e := t.ioRange(buf, n, false)
	if e != 0 {
		return e
	}
	b := t.ioBuffer(n)
	if err := t.P.as.CopyIn(buf, b); err != nil {
		return errno(err)
	}
	k, err := writeCancel(of.f, b, t.waitCh())
	if k == 0 && err == linux.Errno(linux.EINTR) {
		return t.waitErr()
	}
	if k == 0 && err != nil {
		return errno(err)
	}
	return int32(k)
}

func (t *Thread) path(addr uint32) (string, error) {
	s, err := t.P.as.ReadString(addr, 4096)
	if err != nil {
		return "", err
	}
	return procSelf(Resolve(t.P.cwd, s), t.P.Pid), nil
}

func (t *Thread) sysOpen(pathAddr, flags uint32) int32 {
	p, err := t.path(pathAddr)
	if err != nil {
		return errno(err)
	}
	if flags&linux.O_ACCMODE != linux.O_RDONLY || flags&(linux.O_CREAT|linux.O_TRUNC) != 0 {
		if p != "/dev/console" && p != "/dev/tty" && p != "/dev/null" && p != "/dev/kmsg" {
			return -linux.EROFS
		}
	}
	f, err := openAs(p, t.P.privileged()) // addresses hidden from users (kptr.go)
	if err != nil {
		return errno(err)
	}
	if flags&linux.O_DIRECTORY != 0 {
		if st, err := f.Stat(); err == nil && !st.IsDir() {
			f.Close()
			return -linux.ENOTDIR
		}
	}
	fd, err := t.P.files.Install(f, flags, flags&linux.O_CLOEXEC != 0, 0)
	if err != nil {
		f.Close()
		return errno(err)
	}
	return int32(fd)
}

func (t *Thread) sysOpenat(dirfd int32, pathAddr, flags uint32) int32 {
	if dirfd != linux.AT_FDCWD {
		s, err := t.P.as.ReadString(pathAddr, 4096)
		if err != nil {
			return errno(err)
		}
		if len(s) == 0 || s[0] != '/' {
			return -linux.ENOTSUP // relative to a directory fd: not yet
		}
	}
	return t.sysOpen(pathAddr, flags)
}

func (t *Thread) sysLseek(fd int, off int32, whence int) int32 {
	of, err := t.P.files.Get(fd)
	if err != nil {
		return errno(err)
	}
	s, ok := of.f.(io.Seeker)
	if !ok {
		return -linux.ESPIPE
	}
	pos, err := s.Seek(int64(off), whence)
	return errnoOr(err, int32(pos))
}

func (t *Thread) sysFcntl(fd int, cmd, arg uint32) int32 {
	files := t.P.files
	of, err := files.Get(fd)
	if err != nil {
		return errno(err)
	}
	switch cmd {
	case linux.F_GETFD:
		ce, err := files.Cloexec(fd)
		if ce {
			return errnoOr(err, 1)
		}
		return errnoOr(err, 0)
	case linux.F_SETFD:
		return errno(files.SetCloexec(fd, arg&1 != 0))
	case linux.F_GETFL:
		return int32(of.Flags())
	case linux.F_SETFL:
		of.SetFlags(linux.O_NONBLOCK, arg) // O_NONBLOCK only
		return 0
	case linux.F_DUPFD, linux.F_DUPFD_CLOEXEC:
		// arg is an unsigned long: 0xffffffff is not -1 but ≥ RLIMIT_NOFILE.
		if arg >= MaxFDs {
			return -linux.EINVAL
		}
		nfd, err := files.Dup(fd, int(arg), cmd == linux.F_DUPFD_CLOEXEC)
		return errnoOr(err, int32(nfd))
	}
	return -linux.EINVAL
}

func (t *Thread) sysIoctl(fd int, req, arg uint32) int32 {
	of, err := t.P.files.Get(fd)
	if err != nil {
		return errno(err)
	}
	if _, ok := of.f.(consoleFile); !ok {
		return -linux.ENOTTY
	}
	return t.consoleIoctl(req, arg)
}

// statOut writes a Linux i386 struct stat64 for info at addr.
func (t *Thread) statOut(info fs.FileInfo, ino uint64, addr uint32) int32 {
	return errnoOr(t.P.as.CopyOut(addr, stat64(info, ino)), 0)
}

// stat64 encodes a Linux i386 struct stat64 for info.
func stat64(info fs.FileInfo, ino uint64) []byte {
	st := make([]byte, linux.Stat64Len)
	le := binary.LittleEndian
	m := info.Mode()
	mode := uint32(m.Perm())
	switch {
	case m.IsDir():
		mode |= linux.S_IFDIR
	case m&fs.ModeCharDevice != 0:
		mode |= linux.S_IFCHR
		le.PutUint64(st[linux.Stat64Rdev:], 5<<8|1)
	case m&fs.ModeNamedPipe != 0:
		mode |= linux.S_IFIFO
	case m&fs.ModeSymlink != 0:
		mode |= linux.S_IFLNK
	default:
		mode |= linux.S_IFREG
	}
	le.PutUint32(st[linux.Stat64Ino32:], uint32(ino))
	le.PutUint32(st[linux.Stat64Mode:], mode)
	le.PutUint32(st[linux.Stat64Nlink:], 1)
	le.PutUint64(st[linux.Stat64Size:], uint64(info.Size()))
	le.PutUint32(st[linux.Stat64Blksize:], 4096)
	le.PutUint64(st[linux.Stat64Blocks:], uint64((info.Size()+511)/512))
	le.PutUint32(st[linux.Stat64Mtime:], uint32(info.ModTime().Unix()))
	le.PutUint64(st[linux.Stat64Ino:], ino)
	return st
}

func (t *Thread) sysFstat(fd int, addr uint32) int32 {
	of, err := t.P.files.Get(fd)
	if err != nil {
		return errno(err)
	}
	info, err := of.f.Stat()
	if err != nil {
		return errno(err)
	}
	return t.statOut(info, uint64(fd)+1000, addr)
}

func (t *Thread) statPath(p string, addr uint32) int32 {
	f, err := Open(p)
	if err != nil {
		return errno(err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return errno(err)
	}
	return t.statOut(info, inode(p), addr)
}

func inode(p string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(p); i++ {
		h = (h ^ uint64(p[i])) * 1099511628211
	}
	return h | 1
}

func (t *Thread) sysStatPath(pathAddr, addr uint32) int32 {
	p, err := t.path(pathAddr)
	if err != nil {
		return errno(err)
	}
	return t.statPath(p, addr)
}

const atEmptyPath = 0x1000

func (t *Thread) sysFstatat(dirfd int32, pathAddr, addr, flags uint32) int32 {
	s, err := t.P.as.ReadString(pathAddr, 4096)
	if err != nil {
		return errno(err)
	}
	if s == "" && flags&atEmptyPath != 0 {
		return t.sysFstat(int(dirfd), addr)
	}
	if dirfd != linux.AT_FDCWD && (s == "" || s[0] != '/') {
		return -linux.ENOTSUP
	}
	return t.statPath(procSelf(Resolve(t.P.cwd, s), t.P.Pid), addr)
}

func (t *Thread) sysAccess(nr uint32, a *args) int32 {
	addr := a[0]
	if nr != 33 { // faccessat(dirfd, path, mode)
		addr = a[1]
	}
	p, err := t.path(addr)
	if err != nil {
		return errno(err)
	}
	f, err := Open(p)
	if err != nil {
		return errno(err)
	}
	f.Close()
	return 0
}

// sysGetdents64 fills linux_dirent64 records from a directory.
func (t *Thread) sysGetdents64(fd int, buf, n uint32) int32 {
	of, err := t.P.files.Get(fd)
	if err != nil {
		return errno(err)
	}
	if !userRange(buf, n) {
		return -linux.EFAULT
	}
	n = min(n, maxIO)
	rd, ok := of.f.(interface {
		ReadDir(int) ([]fs.DirEntry, error)
	})
	if !ok {
		return -linux.ENOTDIR
	}
	of.mu.Lock()
	defer of.mu.Unlock()
	if !of.dirOK {
		es, err := rd.ReadDir(-1)
		if err != nil {
			return errno(err)
		}
		of.dir, of.dirOK = es, true
	}
	var out []byte
	for len(of.dir) > 0 {
		e := of.dir[0]
		name := e.Name()
		reclen := (19 + len(name) + 1 + 7) &^ 7
		if uint32(len(out)+reclen) > n {
			break
		}
		rec := make([]byte, reclen)
		binary.LittleEndian.PutUint64(rec[0:], inode(name))
		binary.LittleEndian.PutUint64(rec[8:], uint64(len(out)+reclen))
		binary.LittleEndian.PutUint16(rec[16:], uint16(reclen))
		rec[18] = dirType(e.Type())
		copy(rec[19:], name)
		out = append(out, rec...)
		of.dir = of.dir[1:]
	}
	if len(out) == 0 && len(of.dir) > 0 {
		return -linux.EINVAL
	}
	return errnoOr(t.P.as.CopyOut(buf, out), int32(len(out)))
}

func dirType(m fs.FileMode) byte {
	switch {
	case m.IsDir():
		return 4
	case m&fs.ModeSymlink != 0:
		return 10
	case m&fs.ModeCharDevice != 0:
		return 2
	case m&fs.ModeNamedPipe != 0:
		return 1
	}
	return 8
}

// sysReadlink reads a symbolic link: /proc/self is the only one; anything
// else that exists is EINVAL (not a link).
func (t *Thread) sysReadlink(dirfd int32, pathAddr, buf, n uint32) int32 {
	s, err := t.P.as.ReadString(pathAddr, 4096)
	if err != nil {
		return errno(err)
	}
	if dirfd != linux.AT_FDCWD && (s == "" || s[0] != '/') {
		return -linux.ENOTSUP
	}
	if int32(n) <= 0 {
		return -linux.EINVAL
	}
	target, ok := readlinkTarget(Resolve(t.P.cwd, s), t.P.Pid)
	if !ok {
		return -linux.EINVAL
	}
	b := []byte(target)[:min(len(target), int(n))]
	return errnoOr(t.P.as.CopyOut(buf, b), int32(len(b)))
}

func (t *Thread) sysGetcwd(buf, n uint32) int32 {
	b := append([]byte(t.P.cwd), 0)
	if uint32(len(b)) > n {
		return -linux.ERANGE
	}
	return errnoOr(t.P.as.CopyOut(buf, b), int32(len(b)))
}

func (t *Thread) sysChdir(pathAddr uint32) int32 {
	p, err := t.path(pathAddr)
	if err != nil {
		return errno(err)
	}
	f, err := Open(p)
	if err != nil {
		return errno(err)
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.IsDir() {
		return -linux.ENOTDIR
	}
	t.P.cwd = p
	return 0
}

func (t *Thread) sysPipe(fdsAddr, flags uint32) int32 {
	r, w := newPipe()
	cloexec := flags&linux.O_CLOEXEC != 0
	rfd, err := t.P.files.Install(r, linux.O_RDONLY, cloexec, 0)
	if err != nil {
		r.Close()
		w.Close()
		return errno(err)
	}
	wfd, err := t.P.files.Install(w, linux.O_WRONLY, cloexec, 0)
	if err != nil {
		t.P.files.Close(rfd)
		w.Close()
		return errno(err)
	}
	b := append(le32(uint32(rfd)), le32(uint32(wfd))...)
	if err := t.P.as.CopyOut(fdsAddr, b); err != nil {
		t.P.files.Close(rfd)
		t.P.files.Close(wfd)
		return errno(err)
	}
	return 0
}

func (t *Thread) sysDup(fd int) int32 {
	nfd, err := t.P.files.Dup(fd, 0, false)
	return errnoOr(err, int32(nfd))
}

func (t *Thread) sysDup3(oldfd, newfd uint32, flags uint32, dup2 bool) int32 {
	if !dup2 && flags&^linux.O_CLOEXEC != 0 {
		return -linux.EINVAL
	}
	// Descriptors are unsigned in the ABI: anything ≥ MaxFDs is EBADF,
	// never a negative index.
	if oldfd >= MaxFDs || newfd >= MaxFDs {
		return -linux.EBADF
	}
	if oldfd == newfd {
		if dup2 {
			if _, err := t.P.files.Get(int(oldfd)); err != nil {
				return errno(err)
			}
			return int32(newfd)
		}
		return -linux.EINVAL
	}
	return errnoOr(t.P.files.Dup2(int(oldfd), int(newfd), flags&linux.O_CLOEXEC != 0), int32(newfd))
}
