package kbench

import (
	"fmt"
	"io"
	"time"

	"gojos/kern/vdso/rtclock"
)

// sysClock is clock_gettime(clk) through the system call.
func sysClock(clk uintptr) (int64, error) {
	ns, e := rtclock.Sys(clk)
	if e != 0 {
		return 0, e
	}
	return ns, nil
}

// clocks checks that the runtime's clock (the vDSO's when there is one)
// agrees with the system call's, then times both.
func clocks(n int, stdout io.Writer) error {
	if a := rtclock.VDSO(); a != 0 {
		fmt.Fprintf(stdout, "kbench: vDSO at %#x\n", a)
	} else {
		fmt.Fprintln(stdout, "kbench: no vDSO")
	}
	// CLOCK_MONOTONIC: the runtime's reading lies between two system-call
	// readings (1 us of slack for the two paths' rounding).
	const slack = 1000
	worst := int64(0)
	for i := 0; i < 100; i++ {
		s1, err := sysClock(1)
		if err != nil {
			return err
		}
		v := rtclock.Nanotime()
		s2, err := sysClock(1)
		if err != nil {
			return err
		}
		if v < s1-slack || v > s2+slack {
			return fmt.Errorf("CLOCK_MONOTONIC: runtime %d outside the system call's [%d, %d]", v, s1, s2)
		}
		worst = max(worst, s2-s1)
	}
	// CLOCK_REALTIME likewise, through time.Now.
	r1, err := sysClock(0)
	if err != nil {
		return err
	}
	r := time.Now().UnixNano()
	r2, err := sysClock(0)
	if err != nil {
		return err
	}
	if r < r1-slack || r > r2+slack {
		return fmt.Errorf("CLOCK_REALTIME: runtime %d outside the system call's [%d, %d]", r, r1, r2)
	}
	fmt.Fprintf(stdout, "kbench: clocks agree with the system call (monotonic and real time, bracket up to %d ns)\n", worst)
	const batch = 100
	var vd, sc []time.Duration
	for i := 0; i < n; i++ {
		t0 := rtclock.Nanotime()
		for j := 0; j < batch; j++ {
			rtclock.Nanotime()
		}
		t1 := rtclock.Nanotime()
		for j := 0; j < batch; j++ {
			sysClock(1)
		}
		t2 := rtclock.Nanotime()
		vd = append(vd, time.Duration(t1-t0)/batch)
		sc = append(sc, time.Duration(t2-t1)/batch)
	}
	fmt.Fprintf(stdout, "kbench: guest clock, %d batches of %d calls\n", n, batch)
	report(stdout, "clock_gettime, runtime", vd)
	report(stdout, "clock_gettime system call", sc)
	return nil
}
