package kmain

import (
	"fmt"
	"io"

	"gojos/kern/selftest"
)

// runSelftest runs the in-kernel self-test; an error if any case failed.
func runSelftest(out io.Writer) error {
	if _, failed := selftest.Run(out); failed > 0 {
		return fmt.Errorf("selftest: %d cases failed", failed)
	}
	return nil
}

// crash dereferences nil outside any recover: the runtime prints the panic
// with a goroutine traceback and the kernel exits with status 2.
func crash() {
	var p *struct{ x [64]int }
	p.x[5] = 1
}
