package selftest

import (
	"bytes"
	"strings"
	"testing"
)

// The suite passes on the host too: a failure in the kernel is the kernel's.
func TestSuiteOnHost(t *testing.T) {
	var out bytes.Buffer
	passed, failed := Run(&out)
	if failed != 0 || passed != len(Cases) {
		t.Fatalf("%d passed, %d failed:\n%s", passed, failed, out.String())
	}
	if !strings.Contains(out.String(), "selftest: 9 passed, 0 failed") {
		t.Errorf("summary line missing:\n%s", out.String())
	}
}
