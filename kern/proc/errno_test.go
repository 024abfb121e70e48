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

// asErr claims to be an errno through an As method only.
type asErr struct{}

func (asErr) Error() string { return "as" }
func (asErr) As(target any) bool {
	if p, ok := target.(*linux.Errno); ok {
		*p = linux.EROFS
		return true
	}
	return false
}

// isErr matches fs.ErrNotExist through an Is method only.
type isErr struct{}

func (isErr) Error() string        { return "is" }
func (isErr) Is(target error) bool { return target == fs.ErrNotExist }

// sliceErr is an error of a type == cannot compare.
type sliceErr struct{ s []int }

func (sliceErr) Error() string { return "slice" }

// errnoReference is errno with errors.Is and errors.As alone, as it was
// before the fast paths (with the same sentinels, errnoFor): they must give
// the same answers.
func errnoReference(err error) int32 {
	if err == nil {
		return 0
	}
	var en linux.Errno
	if errors.As(err, &en) {
		return en.Neg()
	}
	var se syscall.Errno
	if errors.As(err, &se) {
		return -int32(se)
	}
	return errnoFor(func(target error) bool { return errors.Is(err, target) })
}

func TestErrnoFastPaths(t *testing.T) {
	path := func(err error) error { return &fs.PathError{Op: "open", Path: "/x", Err: err} }
	for _, err := range []error{
		linux.Errno(linux.EBADF), syscall.EPERM, fs.ErrNotExist, fs.ErrPermission, fs.ErrExist, fs.ErrInvalid,
		ErrFault, io.ErrClosedPipe, errors.New("other"), asErr{}, isErr{},
		path(linux.Errno(linux.ENOTDIR)), path(syscall.ENOEXEC), path(fs.ErrNotExist), path(fs.ErrPermission),
		path(path(fs.ErrExist)), path(path(linux.Errno(linux.ELOOP))), path(nil), path(asErr{}), path(isErr{}),
		path(fmt.Errorf("w: %w", linux.Errno(linux.EISDIR))), fmt.Errorf("w: %w", path(fs.ErrNotExist)),
		errors.Join(errors.New("a"), linux.Errno(linux.EAGAIN)), errors.Join(fs.ErrExist, fs.ErrNotExist),
		path(errors.Join(fs.ErrInvalid, syscall.EBUSY)),
		path(ErrFault), path(io.ErrClosedPipe), sliceErr{[]int{1}}, path(sliceErr{}),
	} {
		if got, want := errno(err), errnoReference(err); got != want {
			t.Errorf("errno(%#v) = %d, errors.Is/As say %d", err, got, want)
		}
	}
}
