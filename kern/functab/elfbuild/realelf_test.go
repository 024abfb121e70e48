package elfbuild

import (
	"gojos/kern/functab"

	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"testing"
)

// A linux/386 program with one of each kind of function the table tells
// apart. Built with the host's go tool (the test skips without one, e.g. in
// a Bazel sandbox; //tests:functab_test covers the real kernel there).
var realFiles = map[string]string{
	"go.mod": "module prog\n\ngo 1.24\n",
	"main.go": `package main

import (
	"errors"
	"sync/atomic"
)

type T struct{ n int }

//go:noinline
func (t *T) Add(d int) int { t.n += d; return t.n }

//go:noinline
func params(a int8, b int64, s string, p *T, ok bool, e error, f float64, xs []byte, u uintptr, c complex128) (n int16, err error) {
	if ok && e != nil && p != nil {
		return int16(a) + int16(b) + int16(len(s)+len(xs)) + int16(u) + int16(f) + int16(real(c)), e
	}
	return 0, nil
}

//go:noinline
func unnamed(int, string) bool { return true }

//go:noinline
func atomicArg(a int8, w atomic.Int64, v *atomic.Int64) int64 { return int64(a) + v.Load() + w.Load() }

func small(x int) int { return x*3 + 1 }

//go:noinline
func callerA(x int) int { return small(x) + 1 }

//go:noinline
func callerB(x int) int { return small(x) * small(x+1) }

var fv = small

// tiny's body folds into callerC's arithmetic: no instruction is left to
// name it in callerC, but it was inlined.
func tiny(x int) int { return x*5 + 1 }

//go:noinline
func callerC(x int) int { return tiny(x) + 1 }

var fv2 = tiny

//go:nosplit
//go:noinline
func nosplitCall(x int) int { return callerA(x) }

//go:noinline
func call(f func()) { f() }

//go:noinline
func generic[T any](x T) T { return x }

func asmAdd(a, b int32) int32

func main() {
	t := &T{}
	var v atomic.Int64
	n, err := params(1, 2, "s", t, true, errors.New("e"), 1.5, []byte("x"), 7, 2i)
	k := 0
	call(func() { k += t.Add(1) })
	println(n, err, unnamed(1, ""), atomicArg(1, atomic.Int64{}, &v), callerA(k), callerB(2), fv(3), callerC(1), fv2(2),
		nosplitCall(4), generic(5), generic("x"), asmAdd(1, 2), stampme[3])
}
`,
	// A variable for Stamp, initialised as the kernel's builtImageHash.
	"stamp.go": "package main\n\nvar stampme = [32]byte{" + byteList(functab.StampMarker) + "}\n",
	"add_386.s": `#include "textflag.h"

TEXT ·asmAdd(SB), NOSPLIT, $0-12
	MOVL a+0(FP), AX
	ADDL b+4(FP), AX
	MOVL AX, ret+8(FP)
	RET
`,
}

var real struct {
	once sync.Once
	dir  string
	path string
	err  string
}

func TestMain(m *testing.M) {
	code := m.Run()
	if real.dir != "" {
		os.RemoveAll(real.dir)
	}
	os.Exit(code)
}

// realProgram builds the program once and returns its path.
func realProgram(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not on PATH")
	}
	real.once.Do(func() {
		dir, err := os.MkdirTemp("", "functab")
		if err != nil {
			real.err = err.Error()
			return
		}
		real.dir = dir
		for name, text := range realFiles {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				real.err = err.Error()
				return
			}
		}
		real.path = filepath.Join(dir, "prog")
		cmd := exec.Command(goTool, "build", "-ldflags=-buildid=functab-test", "-o", real.path, ".")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=386", "CGO_ENABLED=0", "GOFLAGS=", "GOWORK=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			real.err = "go build: " + err.Error() + "\n" + string(out)
		}
	})
	if real.err != "" {
		t.Fatal(real.err)
	}
	return real.path
}

func buildReal(t *testing.T) (*functab.Table, *elf.File) {
	t.Helper()
	f, err := elf.Open(realProgram(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	tab, err := Build(f)
	if err != nil {
		t.Fatal(err)
	}
	return tab, f
}

func mustFunc(t *testing.T, tab *functab.Table, name string) *functab.Func {
	t.Helper()
	f, err := tab.ByName(name)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestRealSignatures(t *testing.T) {
	tab, _ := buildReal(t)
	for name, want := range map[string]string{
		"main.params":                   "func(a int8, b int64, s string, p *main.T, ok bool, e error, f float64, xs []uint8, u uintptr, c complex128) (n int16, err error)",
		"main.(*T).Add":                 "func(t *main.T, d int) int",
		"main.unnamed":                  "func(int, string) bool",
		"main.atomicArg":                "func(a int8, w sync/atomic.Int64, v *sync/atomic.Int64) int64",
		"main.generic[go.shape.int]":    "func(.dict uintptr, x go.shape.int) go.shape.int",
		"main.small":                    "func(x int) int",
		"main.main":                     "func()",
		"main.main.func1":               "func()",
		"main.generic[go.shape.string]": "func(.dict uintptr, x go.shape.string) go.shape.string",
	} {
		f := mustFunc(t, tab, name)
		if got := f.Signature(); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
		if f.Flags&functab.FlagPCArgs == 0 || int64(f.ArgsSize) != int64(f.PCArgs) {
			t.Errorf("%s: frame %d, pclntab %d (%v)", name, f.ArgsSize, f.PCArgs, f.Flags)
		}
	}
	p := mustFunc(t, tab, "main.params")
	var classes []functab.Class
	var offsets []uint32
	for _, q := range append(slices.Clone(p.Params), p.Results...) {
		classes = append(classes, q.Type.Class)
		offsets = append(offsets, q.Offset)
	}
	wantClasses := []functab.Class{functab.ClassInt, functab.ClassInt, functab.ClassString, functab.ClassPointer, functab.ClassBool, functab.ClassError,
		functab.ClassOther, functab.ClassOther, functab.ClassUint, functab.ClassOther, functab.ClassInt, functab.ClassError}
	wantOffsets := []uint32{0, 4, 12, 20, 24, 28, 36, 44, 56, 60, 76, 80}
	if !reflect.DeepEqual(classes, wantClasses) || !reflect.DeepEqual(offsets, wantOffsets) || p.ArgsSize != 88 {
		t.Errorf("params: classes %v offsets %v size %d", classes, offsets, p.ArgsSize)
	}
	// atomic.Int64 by value is 8-aligned on 386: a at 0, w at 8, v at 16, the result at 20.
	if a := mustFunc(t, tab, "main.atomicArg"); a.Params[1].Offset != 8 || a.Params[1].Type.Align != 8 || a.ArgsSize != 28 {
		t.Errorf("atomicArg: %+v, frame %d", a.Params, a.ArgsSize)
	}
	if s, err := tab.Stats(); err != nil || s.FrameMismatch != 0 || s.Sig == 0 || s.Sig+s.Asm+s.BadDWARF < s.Funcs-2 {
		t.Errorf("stats: %v, %v", s, err)
	}
}

func TestRealFacts(t *testing.T) {
	tab, f := buildReal(t)
	a := mustFunc(t, tab, "main.asmAdd")
	if a.Flags&(functab.FlagAsm|functab.FlagNoSplit) != functab.FlagAsm|functab.FlagNoSplit || a.Flags&functab.FlagSig != 0 || a.ArgsSize != 12 {
		t.Errorf("asmAdd: %v, frame %d", a.Flags, a.ArgsSize)
	}
	if f := mustFunc(t, tab, "main.nosplitCall"); f.Flags&functab.FlagNoSplit == 0 {
		t.Errorf("nosplitCall: %v", f.Flags)
	}
	for _, name := range []string{"main.main", "main.params", "runtime.mallocgc", "runtime.newproc1"} {
		if f := mustFunc(t, tab, name); f.Flags&functab.FlagNoSplit != 0 {
			t.Errorf("%s has no stack check? %v", name, f.Flags)
		}
	}
	if f := mustFunc(t, tab, "runtime.systemstack"); f.Flags&(functab.FlagAsm|functab.FlagNoSplit) != functab.FlagAsm|functab.FlagNoSplit {
		t.Errorf("runtime.systemstack: %v", f.Flags)
	}
	for name, want := range map[string]string{"main.main": "main.go", "main.asmAdd": "add_386.s", "runtime.mallocgc": "malloc.go"} {
		if f := mustFunc(t, tab, name); f.File != want {
			t.Errorf("%s is declared in %q, want %q", name, f.File, want)
		}
	}
	if f := mustFunc(t, tab, "main.main.func1"); f.Flags&functab.FlagClosure == 0 {
		t.Errorf("main.main.func1: %v", f.Flags)
	}
	if f := mustFunc(t, tab, "main.generic[go.shape.int]"); f.Flags&functab.FlagGeneric == 0 {
		t.Errorf("generic: %v", f.Flags)
	}
	small := mustFunc(t, tab, "main.small")
	sites := map[string]int{}
	for _, s := range small.Inlined {
		sites[tab.Funcs[s.Caller].Name] = s.Count
	}
	if sites["main.callerB"] != 2 || small.Flags&functab.FlagInlined == 0 {
		t.Errorf("small (%v) is inlined into %v; want callerB twice", small.Flags, sites)
	}
	if tiny := mustFunc(t, tab, "main.tiny"); tiny.Flags&functab.FlagInlined == 0 {
		t.Errorf("tiny: %v, inlined into %q", tiny.Flags, tab.Callers(tiny))
	}
	if f := mustFunc(t, tab, "main.params"); f.Flags&functab.FlagInlined != 0 {
		t.Errorf("params (noinline): %v", f.Flags)
	}
	if got, _ := tab.ByAddr(small.Entry + small.Size - 1); got != small {
		t.Errorf("ByAddr(end of small) = %v", got)
	}
	if tab.BuildID != "functab-test" {
		t.Errorf("BuildID %q", tab.BuildID)
	}
	if h, err := ImageHash(f); err != nil || h != tab.ImageHash || h == ([32]byte{}) {
		t.Errorf("ImageHash %x, %v", h, err)
	}
	enc, err := functab.Encode(tab)
	if err != nil {
		t.Fatal(err)
	}
	back, err := functab.Decode(enc)
	if err != nil {
		t.Fatal(err)
	}
	if err := back.Same(tab); err != nil {
		t.Errorf("the table changed through Encode and Decode: %v", err)
	}
}
