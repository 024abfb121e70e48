package cmdutil

import (
	"io"
	"syscall"
)

// FD reads and writes a file descriptor with plain system calls, as
// os.File does (io.EOF at the end, EINTR retried, whole writes) without
// its locks and poller: for what moves a few bytes per call (a line
// editor) or reads one file whole (ReadFile).
type FD uintptr

func (fd FD) Read(p []byte) (int, error) {
	for {
		n, err := syscall.Read(int(fd), p)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return 0, err
		case n == 0 && len(p) > 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

func (fd FD) Write(p []byte) (int, error) {
	done := 0
	for done < len(p) {
		n, err := syscall.Write(int(fd), p[done:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return done, err
		}
		if n <= 0 {
			return done, io.ErrShortWrite
		}
		done += n
	}
	return done, nil
}
