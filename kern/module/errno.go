package module

import (
	"errors"
	"syscall"

	"gojos/kern/module/elfrel"
)

// loaderError is a refusal of the loader (elfrel) with the errno Linux's
// init_module gives for it: ENOENT for an unknown symbol, ENOEXEC for anything
// else wrong with the module. Its text is the loader's, unchanged.
type loaderError struct {
	err   error
	errno syscall.Errno
}

func (e *loaderError) Error() string   { return e.err.Error() }
func (e *loaderError) Unwrap() []error { return []error{e.err, e.errno} }

// refusal gives a loader error its errno; nil stays nil.
func refusal(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, elfrel.ErrUndefined) {
		return &loaderError{err, syscall.ENOENT}
	}
	return &loaderError{err, syscall.ENOEXEC}
}
