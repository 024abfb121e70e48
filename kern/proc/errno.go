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
	// The usual failures — a sentinel, bare or in *fs.PathErrors — without
	// errors.Is: its comparability check is reflection, whose first use
	// (the shell's first failed open) cost the boot about 180 freshly
	// translated blocks under emulation. For a chain that ends in a value
	// with no Unwrap or Is method, comparing that value is errors.Is's answer.
	if bare := unwrapPath(err); plain(bare) {
		return errnoFor(func(target error) bool { return bare == target })
	}
	return errnoFor(func(target error) bool { return errors.Is(err, target) })
}

// errnoFor is the errno of the first sentinel error that is says matches;
// EIO for none.
func errnoFor(is func(target error) bool) int32 {
	switch {
	case is(fs.ErrNotExist):
		return -linux.ENOENT
	case is(fs.ErrPermission):
		return -linux.EACCES
	case is(fs.ErrExist):
		return -linux.EEXIST
	case is(fs.ErrInvalid):
		return -linux.EINVAL
	case is(ErrFault):
		return -linux.EFAULT
	case is(io.ErrClosedPipe):
		return -linux.EPIPE
	}
	return -linux.EIO
}

// unwrapPath strips *fs.PathErrors (which have no Is or As method) off err.
func unwrapPath(err error) error {
	for {
		pe, ok := err.(*fs.PathError)
		if !ok {
			return err
		}
		err = pe.Err
	}
}

// plain reports whether e ends an error chain by itself: no Unwrap, Is or
// As method could make errors.Is or errors.As look further or elsewhere.
func plain(e error) bool {
	switch e.(type) {
	case interface{ Unwrap() error }, interface{ Unwrap() []error }, interface{ Is(error) bool }, interface{ As(any) bool }:
		return false
	}
	return true
}

// errnoOf finds the errno an error carries. This package's own errors are
// linux.Errno; the packages it is wired to (kern/module, kern/kpatch,
// through Deps) may still report the standard library's syscall.Errno,
// whose numbers are Linux's too, so both are read here and nowhere else.
func errnoOf(err error) (linux.Errno, bool) {
	// An errno bare or at the end of *fs.PathErrors, and a chain that ends
	// without one, are told apart without errors.As's reflection.
	switch x := unwrapPath(err).(type) {
	case nil:
		return 0, false
	case linux.Errno:
		return x, true
	case syscall.Errno:
		return linux.Errno(x), true
	default:
		if plain(x) {
			return 0, false
		}
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
