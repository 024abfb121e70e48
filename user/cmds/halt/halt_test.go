package halt

import (
	"errors"
	"io"
	"testing"
)

func TestHalt(t *testing.T) {
	called := false
	powerOff = func() error { called = true; return nil }
	if err := Run([]string{"halt"}, nil, io.Discard, io.Discard); err != nil || !called {
		t.Fatalf("Run: %v, called %v", err, called)
	}
	powerOff = func() error { return errors.New("EPERM") }
	if err := Run([]string{"halt"}, nil, io.Discard, io.Discard); err == nil {
		t.Error("failure not reported")
	}
	if err := Run([]string{"halt", "now"}, nil, io.Discard, io.Discard); err == nil {
		t.Error("extra argument accepted")
	}
}
