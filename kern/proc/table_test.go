package proc

import (
	"testing"

	"gojos/kern/abi/linux"
	"gojos/kern/abi/systab"
)

func TestSyscallTable(t *testing.T) {
	for _, bad := range systab.Check(Syscalls, func(h handler) bool { return h != nil }) {
		t.Error(bad)
	}
	if SyscallName(linux.SYS_mmap2) != "mmap2" || SyscallName(999) != "syscall_999" {
		t.Error("SyscallName")
	}
}
