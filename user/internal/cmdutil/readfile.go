package cmdutil

import (
	"io"
	"syscall"
)

// ReadFile returns the contents of the file at path, read with plain
// system calls (open, fstat, read, close). A program that only reads one
// file whole (insmod, kpatch load) needs nothing of an *os.File: on Linux
// the first os.Open of a process also sets up the runtime's network
// poller (epoll_create1, eventfd2, epoll_ctl) for a file it cannot poll,
// and registers a finalizer. A failure is the system call's errno, which
// the commands print after the file's name.
func ReadFile(path string) ([]byte, error) {
	fd, err := open(path)
	if err != nil {
		return nil, err
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, err
	}
	if st.Mode&syscall.S_IFMT == syscall.S_IFDIR {
		return nil, syscall.EISDIR
	}
	// The size is a hint (a file in /proc says 0): read until the end.
	buf := make([]byte, 0, max(int(st.Size), 512)+1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := FD(fd).Read(buf[len(buf):cap(buf)])
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
		buf = buf[:len(buf)+n]
	}
}

func open(path string) (int, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			return fd, err
		}
	}
}
