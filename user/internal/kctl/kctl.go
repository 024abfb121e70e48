// Package kctl is the user side of gojos's live-patching interface: the
// control call SYS_gojos_ctl (requests such as "kcall SYM" or "kpatch -l",
// see kern/abi/linux/gojos.go) and Linux's init_module, finit_module and
// delete_module, whose failures it explains with the kernel's reason
// ("lasterror").
//
// The system calls themselves are the variables RawCtl, RawInitModule,
// RawFinitModule and RawDeleteModule, so that the commands built on this package can be tested
// on the host with fakes.
package kctl

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"unicode"
	"unsafe"

	"gojos/kern/abi/linux"
)

// Error is a failed request: the errno the kernel returned and the reason
// it gave, if any.
type Error struct {
	Errno  syscall.Errno
	Reason string // the kernel's text; empty when it gave none
}

// Error returns the kernel's reason, or the errno's text if it gave none.
func (e *Error) Error() string {
	if e.Reason != "" {
		return e.Reason
	}
	return e.Errno.Error()
}

// Unwrap returns the errno, so that errors.Is(err, syscall.ENOENT) works.
func (e *Error) Unwrap() error { return e.Errno }

// The system calls, as variables so that tests can replace them. Each
// returns 0 or the errno of a failure.
var (
	// RawCtl is SYS_gojos_ctl(req, len(req), resp, len(resp)); n is the
	// length of the text written to resp (on failure the reason,
	// NUL-terminated).
	RawCtl = rawCtl
	// RawInitModule is init_module(image, len(image), params); params
	// ends in a NUL.
	RawInitModule = rawInitModule
	// RawDeleteModule is delete_module(name, flags); name ends in a NUL.
	RawDeleteModule = rawDeleteModule
	// RawFinitModule is finit_module(fd, params, 0); params ends in a NUL.
	RawFinitModule = rawFinitModule
)

// Ctl's response buffers are reused: a program making many requests
// (kbench, kstress) would otherwise have the runtime clear 64 KiB for each.
// One is kept in an atomic slot, which serves a program's requests one
// after another; requests made at the same time (kstress calls functions
// while it patches them) take the others from a pool. The pool alone cost
// about 190 of a request's instructions on i386 (its get and put), the
// slot a few.
// The slot starts with a buffer in the program's zeroed data (its pages
// are mapped as the kernel writes an answer into them), so that a
// program's first request — a kcall or kpatch command makes one — does
// not allocate 64 KiB from the heap.
var (
	spareBuf atomic.Pointer[[linux.CtlMaxResponse]byte]
	moreBufs = sync.Pool{New: func() any { return new([linux.CtlMaxResponse]byte) }}
	firstBuf [linux.CtlMaxResponse]byte
)

func init() { spareBuf.Store(&firstBuf) }

func getBuf() *[linux.CtlMaxResponse]byte {
	if b := spareBuf.Swap(nil); b != nil {
		return b
	}
	return moreBufs.Get().(*[linux.CtlMaxResponse]byte)
}

func putBuf(b *[linux.CtlMaxResponse]byte) {
	if !spareBuf.CompareAndSwap(nil, b) {
		moreBufs.Put(b)
	}
}

// Ctl sends one request to the kernel and returns its response text. A
// failure is an *Error carrying the kernel's reason.
func Ctl(req string) (string, error) {
	if len(req) > linux.CtlMaxRequest {
		return "", &Error{Errno: syscall.E2BIG, Reason: "request too long"}
	}
	bp := getBuf()
	defer putBuf(bp)
	resp := bp[:]
	resp[0] = 0 // a failure the kernel gives no reason for reads as none
	// The request's bytes are only read: no copy of them.
	n, errno := RawCtl(unsafe.Slice(unsafe.StringData(req), len(req)), resp)
	if errno != 0 {
		// The reason is NUL-terminated (the length is lost with the errno).
		reason, _, _ := bytes.Cut(resp, []byte{0})
		return "", &Error{Errno: errno, Reason: strings.TrimSpace(string(reason))}
	}
	n = max(0, min(n, len(resp)))
	return string(resp[:n]), nil
}

// Do sends req and writes the response to w, with a newline at the end if
// it has none (an empty response writes nothing). Commands that only relay
// a request (kcall, kpatch, ksyms) return its error as is, so that a
// failure prints "name: reason" with exit status 1.
func Do(req string, w io.Writer) error {
	resp, err := Ctl(req)
	if err != nil {
		return err
	}
	if resp != "" && !strings.HasSuffix(resp, "\n") {
		resp += "\n"
	}
	_, err = io.WriteString(w, resp)
	return err
}

// InitModule loads the module image with the parameter string params
// (init_module). On failure the error is an *Error with the kernel's reason
// from "lasterror", if it has one.
func InitModule(image []byte, params string) error {
	if errno := RawInitModule(image, cstring(params)); errno != 0 {
		return Explain(errno)
	}
	return nil
}

// FinitModule loads the module in the open file fd (finit_module): the
// kernel reads it, and names the module after the file if its .modinfo has
// no name. Failures are explained as InitModule's.
func FinitModule(fd int, params string) error {
	if errno := RawFinitModule(fd, cstring(params)); errno != 0 {
		return Explain(errno)
	}
	return nil
}

// DeleteModule unloads the module called name (delete_module with flags,
// usually linux.O_NONBLOCK_MODULE). On failure the error is an *Error with
// the kernel's reason from "lasterror", if it has one.
func DeleteModule(name string, flags int) error {
	if errno := RawDeleteModule(cstring(name), flags); errno != 0 {
		return Explain(errno)
	}
	return nil
}

// noError is the kernel's answer to "lasterror" when there was none.
const noError = "no error"

// Explain turns a failed init_module, finit_module, delete_module or reboot
// into an *Error with the kernel's reason, asked for with "lasterror".
func Explain(errno syscall.Errno) error {
	e := &Error{Errno: errno}
	if why, err := Ctl("lasterror"); err == nil {
		if why = strings.TrimSpace(why); why != noError {
			e.Reason = why
		}
	}
	return e
}

// IsWord reports whether s can be one word of a request: not empty and
// without white space (or NULs), which would change the request's words.
func IsWord(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return r == 0 || unicode.IsSpace(r)
	})
}

// cstring returns s with a NUL appended.
func cstring(s string) []byte { return append([]byte(s), 0) }

// ptr returns the address of b's first byte, or of a dummy byte when b is
// empty, so that the kernel always gets a valid pointer.
func ptr(b []byte) *byte {
	if len(b) == 0 {
		return new(byte)
	}
	return &b[0]
}

func rawCtl(req, resp []byte) (int, syscall.Errno) {
	r, _, errno := syscall.Syscall6(linux.SYS_gojos_ctl,
		uintptr(unsafe.Pointer(ptr(req))), uintptr(len(req)),
		uintptr(unsafe.Pointer(ptr(resp))), uintptr(len(resp)), 0, 0)
	if errno != 0 {
		return 0, errno
	}
	return int(r), 0
}

func rawInitModule(image, params []byte) syscall.Errno {
	_, _, errno := syscall.Syscall(linux.SYS_init_module,
		uintptr(unsafe.Pointer(ptr(image))), uintptr(len(image)),
		uintptr(unsafe.Pointer(ptr(params))))
	return errno
}

func rawDeleteModule(name []byte, flags int) syscall.Errno {
	_, _, errno := syscall.Syscall(linux.SYS_delete_module,
		uintptr(unsafe.Pointer(ptr(name))), uintptr(flags), 0)
	return errno
}

func rawFinitModule(fd int, params []byte) syscall.Errno {
	_, _, errno := syscall.Syscall(linux.SYS_finit_module, uintptr(fd), uintptr(unsafe.Pointer(ptr(params))), 0)
	return errno
}
