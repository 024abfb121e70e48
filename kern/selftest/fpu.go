package selftest

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"syscall"
)

// fpu: floating-point work in several goroutines at once, with system
// calls and yields between its rounds and timer ticks inside them, gives
// the same bits as the same work done alone. The trap tier keeps only the
// control words of a thread that entered it by a system call (its SSE
// registers are dead across the call) and the whole FPU/SSE state of one
// that was interrupted; a wrong register, rounding mode or x87 stack after
// any switch changes the result.
func fpu() error {
	const workers = len(fpuAnswers)
	want := make([]uint64, workers)
	for w := range want {
		if want[w] = floatWork(w, nil); want[w] != fpuAnswers[w] {
			return fmt.Errorf("worker %d's work alone: %#x, IEEE 754 gives %#x", w, want[w], fpuAnswers[w])
		}
	}
	got := make([]uint64, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[w] = floatWork(w, func() {
				syscall.Getpid() // a system call: the trap tier
				runtime.Gosched()
			})
		}()
	}
	wg.Wait()
	for w := range got {
		if got[w] != want[w] {
			return fmt.Errorf("worker %d: %#x, alone %#x", w, got[w], want[w])
		}
	}
	return nil
}

// fpuAnswers are floatWork's results in IEEE 754 double precision with
// rounding to nearest (computed by the host build of this test, which
// checks them: Go rounds every float64 operation, and fuses none on 386 or
// baseline amd64).
var fpuAnswers = [...]uint64{0x3a6d7d66aaa5b257, 0x3a6d7d4fcb637aa5, 0x3a6d7f5304a24d92, 0x3a6d7fcfb844ed8e}

// floatWork is a chain of dependent float64 operations (multiply, divide,
// square root, conversions) whose final bits depend on every step; between
// runs between rounds, if it is not nil.
func floatWork(seed int, between func()) uint64 {
	x, y, z := 1+float64(seed)/7, 0.5, 0.25
	for r := 0; r < 12; r++ {
		for i := 0; i < 3000; i++ {
			x = x*1.0000001 + y/3
			y = math.Sqrt(y*y+z) - 0.1*x/(1+x*x)
			z = z*0.999 + float64(i&7)*1e-9
		}
		if between != nil {
			between()
		}
	}
	return math.Float64bits(x) ^ math.Float64bits(y)<<1 ^ math.Float64bits(z)<<2
}
