package kmain

import (
	"fmt"
	"io"
)

// runSelftest is filled in by the self-test suite (kern/selftest).
func runSelftest(out io.Writer) error {
	fmt.Fprintln(out, "selftest: not built yet")
	return fmt.Errorf("no self-test")
}
