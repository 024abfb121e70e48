package main

import (
	"strings"
	"testing"
)

func TestRunNeedsImage(t *testing.T) {
	if err := run(options{}, nil); err == nil || !strings.Contains(err.Error(), "-image") {
		t.Errorf("err = %v", err)
	}
}

func TestSeedSteps(t *testing.T) {
	// Every step that substitutes an address follows one that captures it.
	captured := false
	for _, st := range seed {
		if strings.Contains(st.send, "%s") && !captured {
			t.Errorf("step %q uses an address before one is captured", st.send)
		}
		if strings.Contains(st.expect, "(0x") {
			captured = true
		}
	}
}
