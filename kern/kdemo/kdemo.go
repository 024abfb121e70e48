// Package kdemo holds ordinary kernel functions that exist to be patched and
// called: the seed scenario's kpatch_test1 and kpatch_test2, the quiet bench
// functions kbench and kstress patch in loops, an alternative release text
// for the user-visible patch of //tests:kpatch_any, one function for each
// refusal rule kpatch explains (an inlined one, a nosplit one, a closure, a
// generic shape), and one returning an error for kcall. They are not special to kpatch: any kernel function the
// rules allow is patched and called the same way (kern/kpatch/rules).
//
// They live outside kern/kpatch, whose own code is never patched.
package kdemo

import "fmt"

// The seed scenario's functions. //go:noinline: a caller holding an inlined
// copy would keep the old body after a patch.

//go:noinline
func kpatch_test1() int32 {
	fmt.Println("kpatch_test1 called")
	return 1
}

//go:noinline
func kpatch_test2() int32 {
	fmt.Println("kpatch_test2 called")
	return 2
}

// Quiet functions for benchmarks and stress runs (kbench, kstress): patch,
// unpatch and call them in loops without printing.

//go:noinline
func kpatch_bench_a() int32 { return 10 }

//go:noinline
func kpatch_bench_b() int32 { return 20 }

//go:noinline
func kpatch_bench_c() int32 { return 30 }

//go:noinline
func kpatch_bench_d() int32 { return 40 }

// ReleaseLivepatched has the signature of gojos/kern/proc.utsRelease (the
// text of uname -r and /proc/sys/kernel/osrelease):
//
//	kpatch utsRelease ReleaseLivepatched
//
//go:noinline
func ReleaseLivepatched(buf *[65]byte) int32 {
	return int32(copy(buf[:], "0.1-livepatched"))
}

// greeting is small enough to be inlined into Greet: kpatch refuses it
// unless forced (-f), and Greet keeps its inlined copy of the old code.
func greeting(name string) string { return "hello, " + name }

// Greet returns greeting(name), inlined.
//
//go:noinline
func Greet(name string) string { return greeting(name) }

// farewell has greeting's signature.
//
//go:noinline
func farewell(name string) string { return "goodbye, " + name }

// quick is nosplit: kpatch refuses it.
//
//go:nosplit
//go:noinline
func quick() int32 { return 7 }

// Counter returns a closure (gojos/kern/kdemo.Counter.func1): kpatch
// refuses it.
//
//go:noinline
func Counter() func() int32 {
	n := int32(0)
	return func() int32 { n++; return n }
}

// Larger is generic; its shape instantiation
// gojos/kern/kdemo.Larger[go.shape.int32] takes a hidden dictionary:
// kpatch refuses it.
//
//go:noinline
func Larger[T int32 | int64](a, b T) T {
	if a > b {
		return a
	}
	return b
}

// Mix, Odd and Narrow have C counterparts in release.ko (mix_c, odd_c,
// narrow_c) computing the same: patching one to the other must not change
// a result, which checks how the Go→C bridge moves each kind of argument
// (sign- and zero-extended bytes and half words, words, long longs, bools)
// and result (long long, _Bool, char).
//
//go:noinline
func Mix(a int8, b uint16, c int64, d bool, e uint32) int64 {
	r := int64(a)*1000003 + int64(b)*1009 + c + int64(e)*3
	if d {
		r += 7
	}
	return r
}

// Odd reports whether n is odd.
//
//go:noinline
func Odd(n int32) bool { return n&1 != 0 }

// Narrow is n's low byte as a signed number.
//
//go:noinline
func Narrow(n int32) int8 { return int8(n) }

// Validate returns an error for a negative n, else nil: kcall prints
// error results as their text or <nil>.
//
//go:noinline
func Validate(n int32) error {
	if n < 0 {
		return fmt.Errorf("%d is negative", n)
	}
	return nil
}

// Funcs keeps every function of the package in the kernel: nothing else
// calls most of them, and the linker drops what nothing refers to.
func Funcs() []any {
	return []any{kpatch_test1, kpatch_test2, kpatch_bench_a, kpatch_bench_b, kpatch_bench_c, kpatch_bench_d,
		ReleaseLivepatched, greeting, Greet, farewell, quick, Counter, Counter(), Larger[int32], Validate,
		Mix, Odd, Narrow, lpFuncs}
}
