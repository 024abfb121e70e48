package sysprobe

import (
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"
)

// probeRestart: a signal with a handler (SA_RESTART, as Go installs it)
// interrupts a blocking read; after the handler the read is restarted
// and returns the data written later, not EINTR.
func probeRestart(p *prober) {
	var fds [2]int
	if err := syscall.Pipe(fds[:]); err != nil {
		fmt.Fprintf(p.out, "sysprobe: pipe: %v\n", err)
		p.wrong++
		return
	}
	defer syscall.Close(fds[0])
	defer syscall.Close(fds[1])
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGUSR1)
	defer signal.Stop(sigs)
	tids := make(chan int)
	type result struct {
		n int
		e error
	}
	done := make(chan result)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		tids <- syscall.Gettid()
		var b [16]byte
		n, err := syscall.Read(fds[0], b[:]) // blocks until the write below
		done <- result{n, err}
	}()
	tid := <-tids
	time.Sleep(100 * time.Millisecond) // the reader is blocked by now
	r, e := sys(syscall.SYS_TGKILL, uintptr(syscall.Getpid()), uintptr(tid), uintptr(syscall.SIGUSR1))
	p.check("tgkill(self, reader, SIGUSR1)", r, e, 0, nil)
	select {
	case <-sigs:
	case <-time.After(5 * time.Second):
		fmt.Fprintln(p.out, "sysprobe: SIGUSR1 never handled WRONG")
		p.wrong++
	}
	time.Sleep(100 * time.Millisecond)
	syscall.Write(fds[1], []byte("after"))
	res := <-done
	errno, _ := res.e.(syscall.Errno)
	p.check("read(pipe) interrupted by a handled signal", uintptr(res.n), errno, 0, func(n uintptr) bool { return n == 5 })
}
