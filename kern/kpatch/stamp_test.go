package kpatch

import (
	"testing"

	"gojos/kern/functab"
)

// The variable starts as the marker mkimage looks for, under the name it
// looks up (the package path is the kernel's; tests/image_test.go checks the
// stamp in the real image).
func TestBuiltImageHashStartsAsMarker(t *testing.T) {
	if string(builtImageHash[:]) != functab.StampMarker {
		t.Fatalf("builtImageHash = %q, want functab.StampMarker %q", builtImageHash, functab.StampMarker)
	}
	if _, ok := stampedImageHash(); ok {
		t.Error("an unstamped kernel reports a stamped image hash")
	}
}
