package modfuzz

import (
	"fmt"
	"os"
	"strings"
	"syscall"

	"gojos/kern/abi/linux"
	"gojos/user/internal/kctl"
)

// sysKernel is the running kernel.
type sysKernel struct{}

func (sysKernel) Insert(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return kctl.FinitModule(int(f.Fd()), "")
}

func (sysKernel) Remove(name string) error {
	return kctl.DeleteModule(name, linux.O_NONBLOCK_MODULE)
}

func (sysKernel) Modules() ([]string, error) {
	data, err := os.ReadFile("/proc/modules")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			names = append(names, f[0])
		}
	}
	return names, nil
}

func (sysKernel) Probe(fn string) error {
	resp, err := kctl.Ctl("kcall " + fn)
	if err != nil {
		return fmt.Errorf("kcall %s: %v", fn, err)
	}
	if !strings.Contains(resp, "returned") {
		return fmt.Errorf("kcall %s: unexpected answer %q", fn, resp)
	}
	if pid := syscall.Getpid(); pid <= 0 {
		return fmt.Errorf("getpid returned %d", pid)
	}
	return nil
}
