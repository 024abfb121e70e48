package proc

import (
	"errors"
	"io"
	"io/fs"
	"syscall"

	"gojos/kern/abi/linux"
)

// ErrFault is returned for a user address that is not mapped as needed.
var ErrFault = errors.New("bad address")

// errno turns an error into a negative errno value.
func errno(err error) int32 {
	if err == nil {
		return 0
	}
	if e, ok := errnoOf(err); ok {
		return e.Neg()
	}
	// The usual failures first, without errors.Is: its comparability check
	// is reflection, whose first use (the shell's first failed open) cost
	// the boot about 180 freshly translated blocks under emulation.
	bare := err
	if pe, ok := err.(*fs.PathError); ok {
		bare = pe.Err
	}
	switch bare {
	case fs.ErrNotExist:
		return -linux.ENOENT
	case fs.ErrPermission:
		return -linux.EACCES
	case fs.ErrExist:
		return -linux.EEXIST
	case fs.ErrInvalid:
		return -linux.EINVAL
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return -linux.ENOENT
	case errors.Is(err, fs.ErrPermission):
		return -linux.EACCES
	case errors.Is(err, fs.ErrExist):
		return -linux.EEXIST
	case errors.Is(err, fs.ErrInvalid):
		return -linux.EINVAL
	case errors.Is(err, ErrFault):
		return -linux.EFAULT
	case errors.Is(err, io.ErrClosedPipe):
		return -linux.EPIPE
	}
	return -linux.EIO
}

// errnoOf finds the errno an error carries. This package's own errors are
// linux.Errno; the packages it is wired to (kern/module, kern/kpatch,
// through Deps) may still report the standard library's syscall.Errno,
// whose numbers are Linux's too, so both are read here and nowhere else.
func errnoOf(err error) (linux.Errno, bool) {
	// An errno bare or at the end of *fs.PathErrors, and an error that
	// ends its chain without one, are told apart without errors.As's
	// reflection (*fs.PathError has no As method: the answer is the same).
	// Only other wrappers take errors.As.
	e := err
	for {
		pe, ok := e.(*fs.PathError)
		if !ok {
			break
		}
		e = pe.Err
	}
	switch x := e.(type) {
	case nil:
		return 0, false
	case linux.Errno:
		return x, true
	case syscall.Errno:
		return linux.Errno(x), true
	case interface{ Unwrap() error }, interface{ Unwrap() []error }, interface{ As(any) bool }:
		// wrapped some other way: errors.As below
	default:
		return 0, false // the end of the chain, and no errno
	}
	var en linux.Errno
	if errors.As(err, &en) {
		return en, true
	}
	var se syscall.Errno
	if errors.As(err, &se) {
		return linux.Errno(se), true
	}
	return 0, false
}

// errnoOrEINVAL is errnoOf's value, EINVAL for an error that carries none.
func errnoOrEINVAL(err error) int32 {
	if e, ok := errnoOf(err); ok {
		return e.Neg()
	}
	return -linux.EINVAL
}
