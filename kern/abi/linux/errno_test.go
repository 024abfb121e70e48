package linux

import (
	"syscall"
	"testing"
)

// The texts are the C library's; on a Linux host the Go syscall package
// has the same numbers and the same texts, so each value is checked against it.
func TestErrnoMatchesHost(t *testing.T) {
	for e := Errno(1); e < 134; e++ {
		if errnoText(e) == "" {
			continue
		}
		if got, want := e.Error(), syscall.Errno(e).Error(); got != want {
			t.Errorf("errno %d: %q, host says %q", e, got, want)
		}
	}
	if got := Errno(200).Error(); got != "errno 200" {
		t.Errorf("unknown errno: %q", got)
	}
	if EINVAL != int(syscall.EINVAL) || ENOSYS != int(syscall.ENOSYS) || ETIMEDOUT != int(syscall.ETIMEDOUT) {
		t.Error("errno numbers differ from the host's")
	}
}

func TestSignalName(t *testing.T) {
	for sig, want := range map[int]string{SIGSEGV: "SIGSEGV", SIGBUS: "SIGBUS", SIGQUIT: "SIGQUIT", 33: "signal 33", 0: "signal 0", -2: "signal -2"} {
		if got := SignalName(sig); got != want {
			t.Errorf("SignalName(%d) = %q, want %q", sig, got, want)
		}
	}
	host := map[int]syscall.Signal{SIGBUS: syscall.SIGBUS, SIGFPE: syscall.SIGFPE, SIGSEGV: syscall.SIGSEGV,
		SIGCHLD: syscall.SIGCHLD, SIGCONT: syscall.SIGCONT, SIGSTOP: syscall.SIGSTOP, SIGURG: syscall.SIGURG,
		SIGWINCH: syscall.SIGWINCH, SIGSYS: syscall.SIGSYS, SIGPROF: syscall.SIGPROF}
	for sig, h := range host {
		if sig != int(h) {
			t.Errorf("%s is %d here, %d on the host", SignalName(sig), sig, h)
		}
	}
}
