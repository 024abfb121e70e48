// Package halt is the halt command: it asks the kernel to power off
// (Linux reboot(2) with LINUX_REBOOT_CMD_POWER_OFF), which ends QEMU. Only
// root may (the kernel refuses anyone else with EPERM, whose reason halt
// prints).
package halt

import (
	"errors"
	"fmt"
	"io"
	"syscall"

	"gojos/user/internal/kctl"
)

// powerOff is the system call; a variable so tests can replace it.
var powerOff = func() error {
	err := syscall.Reboot(syscall.LINUX_REBOOT_CMD_POWER_OFF)
	var en syscall.Errno
	if errors.As(err, &en) {
		return kctl.Explain(en) // the kernel's reason
	}
	return err
}

// Run powers the machine off; it returns only on failure.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 1 {
		return fmt.Errorf("usage: halt")
	}
	if err := powerOff(); err != nil {
		return fmt.Errorf("power off: %v", err)
	}
	return nil
}
