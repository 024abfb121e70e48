package proc

import (
	"errors"
	"io"
	"io/fs"
	"syscall"
)

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
