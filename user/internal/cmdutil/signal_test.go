package cmdutil

import (
	"syscall"
	"testing"
)

func TestSignalName(t *testing.T) {
	for sig, want := range map[syscall.Signal]string{
		syscall.SIGSEGV: "SIGSEGV", syscall.SIGILL: "SIGILL", syscall.SIGFPE: "SIGFPE",
		syscall.SIGKILL: "SIGKILL", 31: "SIGSYS", 34: "signal 34", 0: "signal 0",
	} {
		if got := SignalName(sig); got != want {
			t.Errorf("SignalName(%d) = %s, want %s", sig, got, want)
		}
	}
}
