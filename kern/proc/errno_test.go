package proc

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"syscall"
	"testing"

	"gojos/kern/abi/linux"
)

func TestErrno(t *testing.T) {
	for _, c := range []struct {
		err  error
		want int32
	}{
		{nil, 0},
		{linux.Errno(linux.EBADF), -linux.EBADF},
		{fmt.Errorf("wrapped: %w", linux.Errno(linux.ENOTDIR)), -linux.ENOTDIR},
		{syscall.ENOEXEC, -linux.ENOEXEC}, // from a package still on syscall.Errno
		{&fs.PathError{Op: "open", Path: "/x", Err: fs.ErrNotExist}, -linux.ENOENT},
		{fs.ErrPermission, -linux.EACCES},
		{fs.ErrExist, -linux.EEXIST},
		{fs.ErrInvalid, -linux.EINVAL},
		{ErrFault, -linux.EFAULT},
		{io.ErrClosedPipe, -linux.EPIPE},
		{errors.New("anything else"), -linux.EIO},
	} {
		if got := errno(c.err); got != c.want {
			t.Errorf("errno(%v) = %d, want %d", c.err, got, c.want)
		}
	}
	if errnoOrEINVAL(errors.New("no errno")) != -linux.EINVAL || errnoOrEINVAL(syscall.EPERM) != -linux.EPERM {
		t.Error("errnoOrEINVAL")
	}
}
