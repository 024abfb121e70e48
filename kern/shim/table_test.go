package shim

import "testing"

func TestSyscallTable(t *testing.T) {
	seen := map[uint32]string{}
	for _, s := range Syscalls {
		if prev, dup := seen[s.Nr]; dup {
			t.Errorf("syscall %d listed twice: %s and %s", s.Nr, prev, s.Name)
		}
		seen[s.Nr] = s.Name
		if s.Name == "" || s.Status < Implemented || s.Status > NotSupported {
			t.Errorf("bad entry %+v", s)
		}
	}
	if syscallName(240) != "futex" || syscallName(9999) != "?" {
		t.Error("syscallName lookup broken")
	}
}
