package module

import (
	"errors"
	"syscall"
	"testing"

	"gojos/kern/module/elfrel"
)

func TestRefusal(t *testing.T) {
	if refusal(nil) != nil {
		t.Error("refusal(nil) is not nil")
	}
	_, err := elfrel.Parse([]byte("not a module"))
	r := refusal(err)
	var en syscall.Errno
	if r.Error() != err.Error() || !errors.Is(r, elfrel.ErrNotELF) || !errors.As(r, &en) || en != syscall.ENOEXEC {
		t.Errorf("refusal(%v) = %v (errno %v)", err, r, en)
	}
	undef := &elfrel.Error{Class: elfrel.ErrUndefined, Msg: "undefined symbol: printf"}
	if r := refusal(undef); !errors.As(r, &en) || en != syscall.ENOENT || r.Error() != "undefined symbol: printf" {
		t.Errorf("refusal(%v) = %v (errno %v)", undef, r, en)
	}
}
