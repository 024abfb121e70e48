package linux

// Errno is an errno value as a Go error: what the kernel's Go code returns
// inside the kernel and turns into -errno in EAX at the system-call
// boundary. Its text is the C library's (strerror), so a message the kernel
// prints reads as the one a user program would print for the same value.
// It is a value type with methods and no state, usable from every tier.
type Errno uintptr

// Error returns the strerror text of e.
func (e Errno) Error() string {
	if s := errnoText(e); s != "" {
		return s
	}
	return "errno " + decimal(uint32(e))
}

// Neg is -e as a system call's result.
func (e Errno) Neg() int32 { return -int32(e) }

func errnoText(e Errno) string {
	switch e {
	case EPERM:
		return "operation not permitted"
	case ENOENT:
		return "no such file or directory"
	case ESRCH:
		return "no such process"
	case EINTR:
		return "interrupted system call"
	case EIO:
		return "input/output error"
	case ENXIO:
		return "no such device or address"
	case E2BIG:
		return "argument list too long"
	case ENOEXEC:
		return "exec format error"
	case EBADF:
		return "bad file descriptor"
	case ECHILD:
		return "no child processes"
	case EAGAIN:
		return "resource temporarily unavailable"
	case ENOMEM:
		return "cannot allocate memory"
	case EACCES:
		return "permission denied"
	case EFAULT:
		return "bad address"
	case EBUSY:
		return "device or resource busy"
	case EEXIST:
		return "file exists"
	case ENODEV:
		return "no such device"
	case ENOTDIR:
		return "not a directory"
	case EISDIR:
		return "is a directory"
	case EINVAL:
		return "invalid argument"
	case ENFILE:
		return "too many open files in system"
	case EMFILE:
		return "too many open files"
	case ENOTTY:
		return "inappropriate ioctl for device"
	case EFBIG:
		return "file too large"
	case ENOSPC:
		return "no space left on device"
	case ESPIPE:
		return "illegal seek"
	case EROFS:
		return "read-only file system"
	case EPIPE:
		return "broken pipe"
	case ERANGE:
		return "numerical result out of range"
	case EDEADLK:
		return "resource deadlock avoided"
	case ENAMETOOLONG:
		return "file name too long"
	case ENOSYS:
		return "function not implemented"
	case ENOTEMPTY:
		return "directory not empty"
	case ELOOP:
		return "too many levels of symbolic links"
	case EOVERFLOW:
		return "value too large for defined data type"
	case ENOTSUP:
		return "operation not supported"
	case ETIMEDOUT:
		return "connection timed out"
	}
	return ""
}

// SignalName returns SIGxxx for a signal number, or "signal N".
func SignalName(sig int) string {
	switch sig {
	case SIGHUP:
		return "SIGHUP"
	case SIGINT:
		return "SIGINT"
	case SIGQUIT:
		return "SIGQUIT"
	case SIGILL:
		return "SIGILL"
	case SIGTRAP:
		return "SIGTRAP"
	case SIGABRT:
		return "SIGABRT"
	case SIGBUS:
		return "SIGBUS"
	case SIGFPE:
		return "SIGFPE"
	case SIGKILL:
		return "SIGKILL"
	case SIGUSR1:
		return "SIGUSR1"
	case SIGSEGV:
		return "SIGSEGV"
	case SIGUSR2:
		return "SIGUSR2"
	case SIGPIPE:
		return "SIGPIPE"
	case SIGALRM:
		return "SIGALRM"
	case SIGTERM:
		return "SIGTERM"
	case SIGCHLD:
		return "SIGCHLD"
	case SIGCONT:
		return "SIGCONT"
	case SIGSTOP:
		return "SIGSTOP"
	case SIGURG:
		return "SIGURG"
	case SIGPROF:
		return "SIGPROF"
	case SIGWINCH:
		return "SIGWINCH"
	case SIGSYS:
		return "SIGSYS"
	}
	if sig < 0 {
		return "signal -" + decimal(uint32(-sig))
	}
	return "signal " + decimal(uint32(sig))
}

// decimal formats v without the strconv package (this package imports
// nothing from the standard library).
func decimal(v uint32) string {
	var b [10]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return string(b[i:])
}
