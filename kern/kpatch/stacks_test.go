package kpatch

import "testing"

func TestScanStacks(t *testing.T) {
	const text = `goroutine 5 [running]:
gojos/kern/kpatch.allStacks()
	/src/kern/kpatch/consistency_386.go:70 +0x2a
gojos/kern/kdemo.Nap(0x5)
	/src/kern/kdemo/livepatch.go:20 +0x2a

goroutine 23 [sleep]:
time.Sleep(0xb2d05e00)
	/go/src/runtime/time.go:363 +0x12b
gojos/kern/kdemo.Nap(0xbb8)
	/src/kern/kdemo/livepatch.go:21 +0x3c
created by gojos/kern/kdemo.NapAsync in goroutine 1
	/src/kern/kdemo/livepatch.go:31 +0x3a

goroutine 24 [chan receive]:
gojos/kern/proc.(*Thread).wait(...)
	/src/kern/proc/proc_386.go:10
`
	for _, c := range []struct {
		set  []string
		want string
	}{
		{[]string{"gojos/kern/kdemo.Nap"}, "goroutine 23 [sleep] is in gojos/kern/kdemo.Nap (livepatch.go:21)"},
		{[]string{"gojos/kern/proc.(*Thread).wait"}, "goroutine 24 [chan receive] is in gojos/kern/proc.(*Thread).wait (proc_386.go:10)"},
		{[]string{"gojos/kern/kdemo.NapAsync"}, ""},   // only a "created by" line
		{[]string{"gojos/kern/kpatch.allStacks"}, ""}, // the caller's own goroutine
		{nil, ""},
	} {
		set := map[string]bool{}
		for _, n := range c.set {
			set[n] = true
		}
		if got := scanStacks(text, set); got != c.want {
			t.Errorf("%v: %q, want %q", c.set, got, c.want)
		}
	}
}
