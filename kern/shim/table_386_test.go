package shim

import (
	"testing"

	"gojos/kern/abi/systab"
)

func TestSyscallTable(t *testing.T) {
	for _, bad := range systab.Check(Syscalls[:], func(h handler) bool { return h != nil }) {
		t.Error(bad)
	}
	if syscallName(240) != "futex" || syscallName(9999) != "?" {
		t.Error("syscallName lookup broken")
	}
}
