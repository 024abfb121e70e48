package kdemo

// Targets for livepatch modules (modules/livepatch, //tests:livepatch,
// kbench -lp): Nap sleeps inside itself, so a goroutine can be parked in a
// patch target (the consistency check refuses to switch while it is
// there); LpBench00..LpBench31 are 32 quiet functions of one signature for
// timing the load and switch of livepatch modules of 1, 8 and 32 functions.

import (
	"sync/atomic"
	"time"
)

// napping counts the goroutines inside Nap.
var napping atomic.Int32

// Nap sleeps ms milliseconds inside itself and returns ms.
//
//go:noinline
func Nap(ms int32) int32 {
	napping.Add(1)
	time.Sleep(time.Duration(ms) * time.Millisecond)
	napping.Add(-1)
	return ms
}

// NapAsync starts a goroutine that naps ms milliseconds in Nap and returns
// at once: kcall kdemo.NapAsync 3000 parks a kernel goroutine in Nap.
//
//go:noinline
func NapAsync(ms int32) int32 {
	go Nap(ms)
	return ms
}

// Napping is the number of goroutines inside Nap.
//
//go:noinline
func Napping() int32 { return napping.Load() }

//go:noinline
func LpBench00(n int32) int32 { return n + 0 }

//go:noinline
func LpBench01(n int32) int32 { return n + 1 }

//go:noinline
func LpBench02(n int32) int32 { return n + 2 }

//go:noinline
func LpBench03(n int32) int32 { return n + 3 }

//go:noinline
func LpBench04(n int32) int32 { return n + 4 }

//go:noinline
func LpBench05(n int32) int32 { return n + 5 }

//go:noinline
func LpBench06(n int32) int32 { return n + 6 }

//go:noinline
func LpBench07(n int32) int32 { return n + 7 }

//go:noinline
func LpBench08(n int32) int32 { return n + 8 }

//go:noinline
func LpBench09(n int32) int32 { return n + 9 }

//go:noinline
func LpBench10(n int32) int32 { return n + 10 }

//go:noinline
func LpBench11(n int32) int32 { return n + 11 }

//go:noinline
func LpBench12(n int32) int32 { return n + 12 }

//go:noinline
func LpBench13(n int32) int32 { return n + 13 }

//go:noinline
func LpBench14(n int32) int32 { return n + 14 }

//go:noinline
func LpBench15(n int32) int32 { return n + 15 }

//go:noinline
func LpBench16(n int32) int32 { return n + 16 }

//go:noinline
func LpBench17(n int32) int32 { return n + 17 }

//go:noinline
func LpBench18(n int32) int32 { return n + 18 }

//go:noinline
func LpBench19(n int32) int32 { return n + 19 }

//go:noinline
func LpBench20(n int32) int32 { return n + 20 }

//go:noinline
func LpBench21(n int32) int32 { return n + 21 }

//go:noinline
func LpBench22(n int32) int32 { return n + 22 }

//go:noinline
func LpBench23(n int32) int32 { return n + 23 }

//go:noinline
func LpBench24(n int32) int32 { return n + 24 }

//go:noinline
func LpBench25(n int32) int32 { return n + 25 }

//go:noinline
func LpBench26(n int32) int32 { return n + 26 }

//go:noinline
func LpBench27(n int32) int32 { return n + 27 }

//go:noinline
func LpBench28(n int32) int32 { return n + 28 }

//go:noinline
func LpBench29(n int32) int32 { return n + 29 }

//go:noinline
func LpBench30(n int32) int32 { return n + 30 }

//go:noinline
func LpBench31(n int32) int32 { return n + 31 }

// lpFuncs keeps these functions in the kernel.
var lpFuncs = []any{Nap, NapAsync, Napping,
	LpBench00, LpBench01, LpBench02, LpBench03, LpBench04, LpBench05, LpBench06, LpBench07, LpBench08, LpBench09, LpBench10, LpBench11, LpBench12, LpBench13, LpBench14, LpBench15, LpBench16, LpBench17, LpBench18, LpBench19, LpBench20, LpBench21, LpBench22, LpBench23, LpBench24, LpBench25, LpBench26, LpBench27, LpBench28, LpBench29, LpBench30, LpBench31}
