package tests

// kpatch_rules_test applies kern/kpatch/rules to the real kernel's table
// (the counts kpatch -s prints in the guest): each rule refuses what it
// should, the deny lists catch the trap tier, the patcher and the runtime's
// core, and most functions remain patchable.

import (
	"debug/elf"
	"testing"

	"gojos/kern/functab"
	"gojos/kern/functab/elfbuild"
	"gojos/kern/kabi/cproto"
	"gojos/kern/kpatch/plan"
	"gojos/kern/kpatch/rules"
)

// entryCode is the bytes plan.New needs at a function's entry, from the ELF.
func entryCode(t *testing.T, f *elf.File) func(fn *functab.Func) []byte {
	code, err := elfbuild.EntryCode(f, plan.MaxCode)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func TestKpatchRules(t *testing.T) {
	tab, f := kernelTable(t)
	code := entryCode(t, f)
	for name, want := range map[string]rules.Rule{
		"gojos/kern/kdemo.kpatch_test1":           rules.OK,
		"gojos/kern/kdemo.kpatch_bench_a":         rules.OK,
		"gojos/kern/proc.utsRelease":              rules.OK,
		"runtime.GC":                              rules.OK,
		"gojos/kern/arch/x86.Cli":                 rules.TooShort,
		"runtime.memmove":                         rules.Asm,
		"gojos/kern/kdemo.quick":                  rules.NoSplit,
		"gojos/kern/kdemo.Counter.func1":          rules.Closure,
		"gojos/kern/kdemo.Larger[go.shape.int32]": rules.Generic,
		"gojos/kern/shim.UnixSeconds":             rules.TrapTier,
		"gojos/kern/kabi.CallArgs":                rules.TrapTier,
		"gojos/kern/kpatch.List":                  rules.Patcher,
		"gojos/kern/kpatch/plan.New":              rules.Patcher,
		"runtime.schedule":                        rules.RuntimeCore,
		"runtime.mallocgc":                        rules.RuntimeCore,
		"gojos/kern/kdemo.greeting":               rules.Inlined,
	} {
		fn := kernelFunc(t, tab, name)
		got := rules.OK
		if r := rules.Target(tab, fn, code(fn), false); r != nil {
			got = r.Rule
		}
		if got != want {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
	// The user-visible target maps to C (//tests:kpatch_any's release.ko).
	u := kernelFunc(t, tab, "gojos/kern/proc.utsRelease")
	p, err := cproto.Parse("int(char *)")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cproto.Match(u.Params, u.Results, p); err != nil {
		t.Errorf("utsRelease and int(char *): %v", err)
	}
	if err := rules.SameSignature(u, kernelFunc(t, tab, "gojos/kern/kdemo.ReleaseLivepatched"), nil); err != nil {
		t.Error(err)
	}
	c, err := rules.Count(tab, code)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", c)
	if c.Patchable < c.Funcs/3 || c.Kern < 200 || c.Runtime < 200 || c.Callable < 100 {
		t.Errorf("few patchable functions:\n%s", c)
	}
	for r := rules.TooShort; r <= rules.Inlined; r++ {
		if c.Refused[r] == 0 {
			t.Errorf("rule %v refuses nothing in the kernel", r)
		}
	}
}
