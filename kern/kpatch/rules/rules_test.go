package rules

import (
	"slices"
	"strings"
	"testing"

	"gojos/kern/functab"
	"gojos/kern/kpatch/plan"
)

var (
	tInt32  = functab.Type{Name: "int32", Class: functab.ClassInt, Size: 4, Align: 4}
	tUint8  = functab.Type{Name: "uint8", Class: functab.ClassUint, Size: 1, Align: 1}
	tString = functab.Type{Name: "string", Class: functab.ClassString, Size: 8, Align: 4}
	tBool   = functab.Type{Name: "bool", Class: functab.ClassBool, Size: 1, Align: 1}
	tPtr    = functab.Type{Name: "*main.T", Class: functab.ClassPointer, Size: 4, Align: 4}
	tSlice  = functab.Type{Name: "[]uint8", Class: functab.ClassOther, Size: 12, Align: 4}
)

// goEntry is a Go function's stack-check prologue (MOVL GS:0, CX: 7 bytes).
var goEntry = []byte{0x65, 0x8b, 0x0d, 0, 0, 0, 0, 0x8b, 0x89, 0xfc, 0xff, 0xff, 0xff, 0x3b, 0x61, 0x08, 0x76, 0x20, 0x90}

func fn(name string, flags functab.Flags, params []functab.Param, results ...functab.Param) functab.Func {
	return functab.Func{Name: name, File: "x.go", Size: 0x40, Flags: flags | functab.FlagSig, Params: params, Results: results}
}

func p(t functab.Type) functab.Param { return functab.Param{Type: t} }

func table(fs ...functab.Func) *functab.Table {
	t := &functab.Table{}
	for i := range fs {
		fs[i].Entry = 0xc0101000 + uint32(i)*0x40
		if fs[i].Flags&(functab.FlagAsm|functab.FlagBadDWARF) != 0 {
			fs[i].Flags &^= functab.FlagSig
			fs[i].Params, fs[i].Results = nil, nil
		}
		t.Funcs = append(t.Funcs, fs[i])
	}
	t.Finish() // parameter offsets and frames
	return t
}

func TestTargetRules(t *testing.T) {
	tab := table(
		fn("gojos/kern/kdemo.kpatch_test1", 0, nil, p(tInt32)),
		fn("runtime.memmove", functab.FlagAsm|functab.FlagNoSplit, nil),
		fn("gojos/kern/kdemo.quick", functab.FlagNoSplit, nil, p(tInt32)),
		fn("gojos/kern/kdemo.F.func1", functab.FlagClosure, nil),
		fn("gojos/kern/kdemo.Max[go.shape.int32]", functab.FlagGeneric, []functab.Param{p(tInt32)}),
		fn("gojos/kern/shim.Trap", 0, []functab.Param{p(tPtr)}, p(tPtr)),
		fn("gojos/kern/kpatch.List", 0, nil, p(tString)),
		fn("gojos/kern/kpatch/plan.New", 0, nil),
		fn("mod/arch/x86/x86asm.Decode", 0, nil),
		fn("sync.(*Mutex).lockSlow", 0, []functab.Param{p(tPtr)}),
		fn("runtime.schedule", 0, nil),
		fn("runtime.GC", 0, nil),
		fn("gojos/kern/proc.broken", functab.FlagBadDWARF, nil),
		fn("gojos/kern/kdemo.greeting", functab.FlagInlined, []functab.Param{p(tString)}, p(tString)),
		fn("gojos/kern/kdemo.Greet", 0, []functab.Param{p(tString)}, p(tString)),
	)
	tab.Funcs[2].File = "" // nosplit, without DWARF file: still refused by its flag
	// greeting is inlined into Greet (index 14) twice.
	tab.Funcs[13].Inlined = []functab.Site{{Caller: 14, Count: 2}}
	want := map[string]Rule{
		"gojos/kern/kdemo.kpatch_test1":        OK,
		"runtime.memmove":                      Asm,
		"gojos/kern/kdemo.quick":               NoSplit,
		"gojos/kern/kdemo.F.func1":             Closure,
		"gojos/kern/kdemo.Max[go.shape.int32]": Generic,
		"gojos/kern/shim.Trap":                 TrapTier,
		"gojos/kern/kpatch.List":               Patcher,
		"gojos/kern/kpatch/plan.New":           Patcher,
		"mod/arch/x86/x86asm.Decode":           Patcher,
		"sync.(*Mutex).lockSlow":               Patcher,
		"runtime.schedule":                     OK, // its File is x.go here
		"runtime.GC":                           OK,
		"gojos/kern/proc.broken":               NoSignature,
		"gojos/kern/kdemo.greeting":            Inlined,
		"gojos/kern/kdemo.Greet":               OK,
	}
	tab.Funcs[10].File = "proc.go"
	want["runtime.schedule"] = RuntimeCore
	for i := range tab.Funcs {
		f := &tab.Funcs[i]
		got := OK
		if r := Target(tab, f, goEntry, false); r != nil {
			got = r.Rule
			if !strings.Contains(r.Msg, f.Name) {
				t.Errorf("%s: message %q does not name the function", f.Name, r.Msg)
			}
		}
		if got != want[f.Name] {
			t.Errorf("%s: rule %v, want %v", f.Name, got, want[f.Name])
		}
		// Static then Planned (what the kernel does, keeping Static per
		// function) decides as TargetPlanned does.
		pl, err := plan.New(plan.Func{Name: f.Name, Start: f.Entry, Size: f.Size}, f.Entry, goEntry, f.Entry+1)
		if err != nil {
			t.Fatal(err)
		}
		split := Static(f)
		if split == nil {
			split = Planned(tab, f, pl, false)
		}
		if whole := TargetPlanned(tab, f, pl, false); (split == nil) != (whole == nil) || (whole != nil && *split != *whole) {
			t.Errorf("%s: Static+Planned %v, TargetPlanned %v", f.Name, split, whole)
		}
	}
	g := &tab.Funcs[13]
	r := Target(tab, g, goEntry, false)
	if r == nil || !strings.Contains(r.Msg, "inlined into 1 function: gojos/kern/kdemo.Greet (2 call sites)") {
		t.Errorf("inlined: %v", r)
	}
	if r := Target(tab, g, goEntry, true); r != nil {
		t.Errorf("forced: %v", r)
	}
	// Too short: CLI; RET.
	if r := Target(tab, &tab.Funcs[0], []byte{0xfa, 0xc3}, false); r == nil || r.Rule != TooShort {
		t.Errorf("short code: %v", r)
	}
	if r := Target(tab, &tab.Funcs[1], []byte{0xfa, 0xc3}, false); r == nil || r.Rule != TooShort {
		t.Errorf("short code is checked first: %v", r)
	}
	// push %ebp; mov %esp,%ebp; sub $0xc,%esp: the jump would span 3 instructions.
	frame := []byte{0x55, 0x89, 0xe5, 0x83, 0xec, 0x0c, 0xc9, 0xc3}
	if r := Target(tab, &tab.Funcs[0], frame, false); r == nil || r.Rule != TooShort || !strings.Contains(r.Msg, "would replace 3 instructions") {
		t.Errorf("split entry: %v", r)
	}
}

func TestSignatureAndCallable(t *testing.T) {
	tab := table(
		fn("a.f", 0, []functab.Param{p(tInt32), p(tString)}, p(tBool)),
		fn("a.g", 0, []functab.Param{p(tInt32), p(tString)}, p(tBool)),
		fn("a.h", 0, []functab.Param{p(tUint8), p(tString)}, p(tBool)),
		fn("a.k", 0, []functab.Param{p(tSlice)}),
		fn("a.m", 0, []functab.Param{p(tPtr)}),
	)
	f, g, h := &tab.Funcs[0], &tab.Funcs[1], &tab.Funcs[2]
	if err := SameSignature(f, g, nil); err != nil {
		t.Error(err)
	}
	err := SameSignature(f, h, nil)
	if err == nil || err.Error() != "signatures differ: a.f is func(int32, string) bool, a.h is func(uint8, string) bool" {
		t.Errorf("mismatch: %v", err)
	}
	for i, want := range []Rule{OK, OK, OK, Params, Params} {
		got := OK
		if r := Callable(&tab.Funcs[i]); r != nil {
			got = r.Rule
		}
		if got != want {
			t.Errorf("%s: callable %v, want %v", tab.Funcs[i].Name, got, want)
		}
	}
	if r := Callable(&tab.Funcs[3]); r == nil || !strings.Contains(r.Msg, "parameter 1 has type []uint8") {
		t.Errorf("%v", r)
	}
}

func TestCount(t *testing.T) {
	tab := table(
		fn("gojos/kern/kdemo.a", 0, nil, p(tInt32)),
		fn("runtime.memmove", functab.FlagAsm, nil),
		fn("runtime.GC", 0, nil),
		fn("gojos/kern/kdemo.g", functab.FlagInlined, nil),
	)
	c, err := Count(tab, func(*functab.Func) []byte { return goEntry })
	if err != nil {
		t.Fatal(err)
	}
	if c.Funcs != 4 || c.Patchable != 2 || c.Refused[Asm] != 1 || c.Refused[Inlined] != 1 || c.Forced != 1 ||
		c.Kern != 1 || c.Runtime != 1 || c.KernAll != 2 || c.RuntimeAll != 2 || c.Callable != 3 {
		t.Errorf("%+v", c)
	}
	if s := c.String(); !strings.Contains(s, "patchable                   2           1        1") || !strings.Contains(s, "  assembly                  1           0        1") {
		t.Errorf("report:\n%s", s)
	}
}

func TestDenyOfRuntimeFiles(t *testing.T) {
	for _, c := range []struct {
		name, file string
		want       Rule
	}{
		{"runtime.schedule", "proc.go", RuntimeCore},
		{"runtime.mallocgc", "malloc.go", RuntimeCore},
		{"runtime.GC", "mgc.go", OK},
		{"runtime.concatstrings", "string.go", OK},
		{"gojos/kern/kabi/cproto.Parse", "cproto.go", Patcher},
		{"gojos/kern/kabi.Call", "kabi_386.go", TrapTier},
		{"gojos/kern/kdemo.Greet", "kdemo.go", OK},
		{"gojos/kern/proc.utsRelease", "sys_thread_386.go", OK},
	} {
		f := functab.Func{Name: c.name, File: c.file}
		if got, where := Deny(&f); got != c.want {
			t.Errorf("%s (%s): %v %q, want %v", c.name, c.file, got, where, c.want)
		}
	}
}

// deniedPatterns is sorted, and each pattern (a prefix ending in "/" or a
// suffix starting with one) has its entry in deniedPackage.
func TestDeniedPatterns(t *testing.T) {
	if !slices.IsSorted(deniedPatterns[:]) {
		t.Errorf("deniedPatterns %q are not sorted", deniedPatterns)
	}
	for _, p := range deniedPatterns {
		if !strings.HasPrefix(p, "/") && !strings.HasSuffix(p, "/") {
			t.Errorf("pattern %q is neither a prefix nor a suffix", p)
		}
		if _, ok := deniedPackage(p); !ok {
			t.Errorf("pattern %q has no rule", p)
		}
	}
}
