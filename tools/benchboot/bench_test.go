package main

import (
	"testing"
)

func TestRunValidates(t *testing.T) {
	if err := run(options{runs: 1}, nil); err == nil {
		t.Error("missing image accepted")
	}
	if err := run(options{image: "x", runs: 0}, nil); err == nil {
		t.Error("zero runs accepted")
	}
}
