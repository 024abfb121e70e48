package rules

import (
	"fmt"
	"strings"

	"gojos/kern/functab"
	"gojos/kern/kpatch/plan"
)

// Rule is why a function is refused; OK is none.
type Rule int

// The rules, in the order they are checked (doc.go).
const (
	OK Rule = iota
	TooShort
	Asm
	NoSplit
	Closure
	Generic
	TrapTier
	Patcher
	RuntimeCore
	NoSignature
	Inlined
	// Params refuses a kcall: a parameter kcall cannot pass.
	Params
	NumRules
)

var ruleNames = [NumRules]string{"patchable", "too short", "assembly", "nosplit", "closure", "generic",
	"trap tier", "patcher", "runtime core", "no signature", "inlined", "parameters"}

func (r Rule) String() string {
	if r >= 0 && r < NumRules {
		return ruleNames[r]
	}
	return fmt.Sprintf("rule(%d)", int(r))
}

// Refusal is a function refused by a rule.
type Refusal struct {
	Rule Rule
	Msg  string // a sentence naming the function and the reason
}

func (r *Refusal) Error() string { return r.Msg }

func refuse(r Rule, format string, args ...any) *Refusal {
	return &Refusal{Rule: r, Msg: fmt.Sprintf(format, args...)}
}

// Target checks f as a patch target. code holds the bytes at its entry
// (plan.MaxCode of them, or up to its end). force waives the inlining rule,
// and only it.
func Target(t *functab.Table, f *functab.Func, code []byte, force bool) *Refusal {
	p, err := plan.New(plan.Func{Name: f.Name, Start: f.Entry, Size: f.Size}, f.Entry, code, f.Entry+1)
	if err != nil {
		return refuse(TooShort, "%v", err)
	}
	return TargetPlanned(t, f, p, force)
}

// TargetPlanned is Target for a caller that has already planned a patch of
// f's entry (to any destination): the entry is decoded once.
func TargetPlanned(t *functab.Table, f *functab.Func, p *plan.Plan, force bool) *Refusal {
	if r := common(f); r != nil {
		return r
	}
	return Planned(t, f, p, force)
}

// Static is the verdict on f's own properties (how it was compiled, its
// package, its signature): the part of TargetPlanned and Replacement that
// does not depend on the code in memory, which a caller may keep per
// function. It is Replacement's whole verdict.
func Static(f *functab.Func) *Refusal { return common(f) }

// Planned is TargetPlanned for a function whose Static verdict is nil: the
// checks of the planned patch itself.
func Planned(t *functab.Table, f *functab.Func, p *plan.Plan, force bool) *Refusal {
	// A Go function's stack check starts with one 7-byte instruction (MOVL
	// GS:0, CX), so the jump replaces part of one instruction and no thread
	// can be stopped inside it. Anything else is refused as too short.
	if p.NumInsns() > 1 {
		return refuse(TooShort, "%s: the jump would replace %d instructions (%s), and a thread stopped between them would resume inside it",
			f.Name, p.NumInsns(), strings.Join(p.Insns(), "; "))
	}
	if force || f.Flags&functab.FlagInlined == 0 {
		return nil
	}
	return refuse(Inlined, "%s %s: those copies keep the old code (kpatch -f patches the function anyway)",
		f.Name, InlinedInto(t, f))
}

// InlinedInto describes where f is inlined: "is inlined into 2 functions
// (a (1 call site), b (3 call sites))", or where DWARF names no caller.
func InlinedInto(t *functab.Table, f *functab.Func) string {
	if len(f.Inlined) == 0 {
		return "is inlined somewhere (DWARF has an inlined copy of it but names no caller)"
	}
	var parts []string
	for _, s := range f.Inlined {
		if s.Caller < 0 || s.Caller >= t.Len() {
			continue
		}
		sites := "call site"
		if s.Count != 1 {
			sites += "s"
		}
		parts = append(parts, fmt.Sprintf("%s (%d %s)", t.Name(s.Caller), s.Count, sites))
	}
	what := "function"
	if len(parts) != 1 {
		what += "s"
	}
	return fmt.Sprintf("is inlined into %d %s: %s", len(parts), what, strings.Join(parts, ", "))
}

// Replacement checks f as a replacement (a function jumped to in place of
// a target).
func Replacement(f *functab.Func) *Refusal { return common(f) }

// common is what targets, replacements and kcall share.
func common(f *functab.Func) *Refusal {
	switch {
	case f.Flags&functab.FlagAsm != 0:
		return refuse(Asm, "%s is written in assembly: it has no Go signature and may use its own calling convention", f.Name)
	case f.Flags&functab.FlagNoSplit != 0:
		return refuse(NoSplit, "%s is nosplit (no stack check at its entry): it may run where the stack must not grow, and a replacement could not be entered there safely", f.Name)
	case f.Flags&functab.FlagClosure != 0:
		return refuse(Closure, "%s is a closure (function literal, method value or go/defer/range wrapper): it takes a hidden context in DX", f.Name)
	case f.Flags&functab.FlagGeneric != 0:
		return refuse(Generic, "%s is a shape instantiation of a generic function: it takes a hidden dictionary and serves every type of its shape", f.Name)
	}
	if r, where := Deny(f); r != OK {
		return refuse(r, "%s is in %s: it is never patched or used as a replacement", f.Name, where)
	}
	if f.Flags&functab.FlagSig == 0 {
		return refuse(NoSignature, "%s has no signature in the function table (its DWARF parameters do not add up to its frame)", f.Name)
	}
	return nil
}

// SameSignature checks that r may replace t: the same parameter and result
// types in the same order. sig spells a function's signature: nil for
// Func.TypeSignature, or the caller's cache of it (the kernel's patch path
// keeps one, as building the text cost microseconds per patch under TCG).
func SameSignature(t, r *functab.Func, sig func(*functab.Func) string) error {
	if sig == nil {
		sig = (*functab.Func).TypeSignature
	}
	// (Func.Hash is a hash of the same text: equal texts, equal hashes.)
	ts, rs := sig(t), sig(r)
	if ts != rs || t.ArgsSize != r.ArgsSize {
		return fmt.Errorf("signatures differ: %s is %s, %s is %s", t.Name, ts, r.Name, rs)
	}
	return nil
}

// Callable checks that kcall may call f with arguments parsed from words:
// the replacement rules, except that the patcher's own packages may be
// called (it is the trap tier and the runtime's core that ordinary Go code
// must not enter this way).
func Callable(f *functab.Func) *Refusal {
	if r := common(f); r != nil && r.Rule != Patcher {
		return r
	}
	if f.Flags&functab.FlagSig == 0 {
		return refuse(NoSignature, "%s has no signature in the function table (its DWARF parameters do not add up to its frame)", f.Name)
	}
	for i, p := range f.Params {
		if !Passable(p.Type) {
			name := p.Name
			if name == "" {
				name = fmt.Sprintf("%d", i+1)
			}
			return refuse(Params, "%s: parameter %s has type %s; kcall passes only integers, bools, uintptr and strings", f.Name, name, p.Type.Name)
		}
	}
	return nil
}

// Passable reports whether kcall can pass a value of type t, parsed from a
// word.
func Passable(t functab.Type) bool {
	switch t.Class {
	case functab.ClassInt, functab.ClassUint:
		return t.Size == 1 || t.Size == 2 || t.Size == 4 || t.Size == 8
	case functab.ClassBool:
		return t.Size == 1
	case functab.ClassString:
		return t.Size == 8
	}
	return false
}
