package selftest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// goroutines: 1,000 goroutines pass values through channels; a WaitGroup
// waits for all of them.
func goroutines() error {
	const n = 1000
	in := make(chan int)
	out := make(chan int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := <-in
			out <- v * 2
		}()
	}
	for i := 1; i <= n; i++ {
		in <- i
	}
	wg.Wait()
	close(out)
	sum := 0
	for v := range out {
		sum += v
	}
	if want := n * (n + 1); sum != want {
		return fmt.Errorf("sum %d, want %d", sum, want)
	}
	return nil
}

var sink [][]byte

// heapGC: allocate 50 MB, touch every page, drop it and collect; the heap
// must shrink back.
func heapGC() error {
	var before, peak, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for round := 0; round < 3; round++ {
		sink = nil
		for i := 0; i < 50; i++ {
			b := make([]byte, 1<<20)
			for j := 0; j < len(b); j += 4096 {
				b[j] = byte(i + j)
			}
			sink = append(sink, b)
		}
		for i, b := range sink {
			if b[4096] != byte(i+4096) {
				return fmt.Errorf("round %d: block %d corrupted", round, i)
			}
		}
		runtime.ReadMemStats(&peak)
		sink = nil
		runtime.GC()
	}
	runtime.ReadMemStats(&after)
	if peak.HeapAlloc < 50<<20 {
		return fmt.Errorf("peak heap %d MB, want ≥ 50 MB", peak.HeapAlloc>>20)
	}
	if after.HeapAlloc > before.HeapAlloc+8<<20 {
		return fmt.Errorf("heap after GC %d MB (before %d MB)", after.HeapAlloc>>20, before.HeapAlloc>>20)
	}
	if after.NumGC-before.NumGC < 3 {
		return fmt.Errorf("%d GCs, want ≥ 3", after.NumGC-before.NumGC)
	}
	return nil
}

// timers: time.Sleep, time.After and a Ticker take about as long as asked.
func timers() error {
	t0 := time.Now()
	time.Sleep(20 * time.Millisecond)
	if d := time.Since(t0); d < 20*time.Millisecond || d > 2*time.Second {
		return fmt.Errorf("Sleep(20ms) took %v", d)
	}
	t0 = time.Now()
	select {
	case <-time.After(15 * time.Millisecond):
	case <-time.After(3 * time.Second):
		return errors.New("After(15ms) never fired")
	}
	if d := time.Since(t0); d < 15*time.Millisecond {
		return fmt.Errorf("After(15ms) fired after %v", d)
	}
	tk := time.NewTicker(5 * time.Millisecond)
	defer tk.Stop()
	t0 = time.Now()
	for i := 0; i < 5; i++ {
		<-tk.C
	}
	if d := time.Since(t0); d < 20*time.Millisecond || d > 3*time.Second {
		return fmt.Errorf("5 ticks of 5ms took %v", d)
	}
	if time.Now().Year() < 2020 {
		return fmt.Errorf("wall clock says %v", time.Now())
	}
	return nil
}

// nilPanic: a nil dereference is a recoverable runtime error (the kernel
// turns the page fault into SIGSEGV for the runtime).
func nilPanic() (err error) {
	var p *[1 << 10]int
	defer func() {
		r := recover()
		re, ok := r.(runtime.Error)
		switch {
		case r == nil:
			err = errors.New("no panic")
		case !ok:
			err = fmt.Errorf("panic %v is not a runtime.Error", r)
		case !strings.Contains(re.Error(), "nil pointer dereference"):
			err = fmt.Errorf("unexpected panic %q", re.Error())
		}
	}()
	p[3] = 42 // address 12: inside the unmapped first 4 MiB
	return errors.New("write through nil succeeded")
}

var spinStop atomic.Uint32

// preempt: a goroutine spins in a loop without calls; the rest of the
// program (timers, GC stop-the-world) must still make progress.
func preempt() error {
	spinStop.Store(0)
	var spins atomic.Uint64
	done := make(chan struct{})
	go func() {
		n := uint64(0)
		for spinStop.Load() == 0 {
			n++
		}
		spins.Store(n)
		close(done)
	}()
	time.Sleep(30 * time.Millisecond)
	runtime.GC() // needs to stop the spinning goroutine
	spinStop.Store(1)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		return errors.New("spinning goroutine never stopped")
	}
	if spins.Load() == 0 {
		return errors.New("spinner never ran")
	}
	return nil
}

type record struct {
	Name  string            `json:"name"`
	Count int               `json:"count"`
	Tags  []string          `json:"tags"`
	Attrs map[string]string `json:"attrs"`
}

// jsonSHA: encoding/json and crypto/sha256 round trips with known answers.
func jsonSHA() error {
	in := record{"kpatch_test1", 2, []string{"go", "i386"}, map[string]string{"k": "v"}}
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	var outRec record
	if err := json.Unmarshal(b, &outRec); err != nil {
		return err
	}
	if !reflect.DeepEqual(in, outRec) {
		return fmt.Errorf("json round trip: %+v != %+v", outRec, in)
	}
	sum := sha256.Sum256([]byte("abc"))
	const want = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	if got := hex.EncodeToString(sum[:]); got != want {
		return fmt.Errorf("sha256(abc) = %s", got)
	}
	h := sha256.New()
	for i := 0; i < 1000; i++ {
		h.Write(b)
	}
	if len(h.Sum(nil)) != 32 {
		return errors.New("sha256 digest length")
	}
	return nil
}

// mutexStorm: many goroutines increment one counter under a mutex.
func mutexStorm() error {
	const workers, iters = 64, 2000
	var mu sync.Mutex
	var wg sync.WaitGroup
	count := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < iters; i++ {
				mu.Lock()
				count++
				if i%100 == 0 {
					runtime.Gosched()
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if count != workers*iters {
		return fmt.Errorf("count %d, want %d", count, workers*iters)
	}
	return nil
}
