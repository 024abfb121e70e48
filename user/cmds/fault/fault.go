// Package fault is the fault command, which misbehaves on purpose so the
// kernel's handling of user faults can be tested:
//
//	fault [-dfl] nil|kernel-write|illegal|divide|stack|wild-syscall
//
//	nil           store through a nil pointer (page fault at 0)
//	kernel-write  store to 0xC0100000, the kernel image (supervisor page)
//	illegal       execute UD2 (#UD)
//	divide        DIVL by zero in assembly (#DE; Go's own check is bypassed)
//	stack         recurse without end; the Go runtime stops it at an 8 MiB
//	              stack ("goroutine stack exceeds …"), exit status 2
//	wild-syscall  write(1, 0xC0100000, 10): must fail with EFAULT; prints
//	              the error and exits 0 (exit 1 if the kernel let it through)
//
// The CPU faults reach the Go runtime as signals (SIGSEGV, SIGILL, SIGFPE),
// which prints a panic or fatal error and exits with status 2. With -dfl
// the signal's disposition is first reset to SIG_DFL with a raw
// rt_sigaction, so the kernel's default action kills the process instead:
// the shell then reports "killed by signal SIGSEGV".
package fault

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"sync"
	"syscall"
	"unsafe"

	"gojos/user/internal/cmdutil"
)

// KernelAddr is where the kernel image starts, in every address space.
const KernelAddr uintptr = 0xC0100000

// StackLimit is the maximum goroutine stack for the stack mode.
const StackLimit = 8 << 20

type mode struct {
	sig syscall.Signal // the signal the fault raises, 0 if none
	run func(stdout io.Writer) error
}

var modes = sync.OnceValue(func() map[string]mode {
	return map[string]mode{
		"nil":          {syscall.SIGSEGV, func(io.Writer) error { *nilPtr = 1; return nil }},
		"kernel-write": {syscall.SIGSEGV, kernelWrite},
		"illegal":      {syscall.SIGILL, func(io.Writer) error { return illegal() }},
		"divide":       {syscall.SIGFPE, func(io.Writer) error { divide(1, zero); return nil }},
		"stack":        {0, stack},
		"wild-syscall": {0, wildSyscall},
	}
})

var (
	nilPtr *int32
	zero   uint32
	depth  int
)

// Run is the fault command. It returns only if the fault did not happen
// (an error) or for wild-syscall.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := cmdutil.FlagSet("fault", "[-dfl] nil|kernel-write|illegal|divide|stack|wild-syscall", stderr)
	dfl := flags.Bool("dfl", false, "reset the fault's signal to SIG_DFL first: the kernel kills the process")
	if err := cmdutil.Parse(flags, args); err != nil {
		return err
	}
	m, ok := modes()[flags.Arg(0)]
	if flags.NArg() != 1 || !ok {
		flags.Usage()
		return cmdutil.Usage
	}
	if *dfl && m.sig != 0 {
		if err := setDefault(m.sig); err != nil {
			return fmt.Errorf("rt_sigaction: %v", err)
		}
	}
	if err := m.run(stdout); err != nil {
		return err
	}
	if flags.Arg(0) == "wild-syscall" {
		return nil
	}
	return fmt.Errorf("%s: no fault happened", flags.Arg(0))
}

func kernelWrite(io.Writer) error {
	addr := KernelAddr
	// Converting through a pointer to addr keeps vet's unsafeptr check
	// quiet; the store faults either way.
	p := *(**int32)(unsafe.Pointer(&addr))
	*p = 1
	return nil
}

func stack(io.Writer) error {
	debug.SetMaxStack(StackLimit)
	return recurse(nil)
}

//go:noinline
func recurse(pad *[64]uintptr) error {
	var frame [64]uintptr // 256 or 512 bytes a frame
	depth++
	if pad != nil {
		frame[0] = pad[0] + 1
	}
	return recurse(&frame)
}

func wildSyscall(stdout io.Writer) error {
	n, _, errno := syscall.Syscall(syscall.SYS_WRITE, 1, KernelAddr, 10)
	if errno == syscall.EFAULT {
		fmt.Fprintf(stdout, "fault: write(1, %#x, 10): %v (EFAULT), as it should\n", KernelAddr, errno)
		return nil
	}
	if errno != 0 {
		return fmt.Errorf("write(1, %#x, 10) failed with %v, want EFAULT", KernelAddr, errno)
	}
	return fmt.Errorf("write(1, %#x, 10) returned %d, want EFAULT", KernelAddr, n)
}

// sigaction is the kernel's struct sigaction for rt_sigaction: handler,
// flags and restorer are word-sized on both i386 and x86-64.
type sigaction struct {
	handler  uintptr
	flags    uintptr
	restorer uintptr
	mask     uint64
}

// setDefault makes sig's disposition SIG_DFL behind the Go runtime's back.
func setDefault(sig syscall.Signal) error {
	var sa sigaction // handler 0 is SIG_DFL
	_, _, errno := syscall.RawSyscall6(syscall.SYS_RT_SIGACTION, uintptr(sig),
		uintptr(unsafe.Pointer(&sa)), 0, unsafe.Sizeof(sa.mask), 0, 0)
	if errno != 0 {
		return errno
	}
	return nil
}

var errNoAsm = errors.New("not supported on this architecture")
