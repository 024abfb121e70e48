package rules

import (
	"fmt"
	"strings"

	"gojos/kern/functab"
)

// Counts is how many of a table's functions each rule refuses as patch
// targets (the first rule that applies), and how many kcall can call.
type Counts struct {
	Funcs     int
	Patchable int // no rule refuses it
	Refused   [NumRules]int
	// Forced counts the functions only the inlining rule refuses (kpatch -f).
	Forced   int
	Callable int // kcall can call it (Callable)
	// Kern and Runtime are the patchable ones in gojos/kern (and the
	// kernel's main package) and in package runtime.
	Kern, Runtime       int
	KernAll, RuntimeAll int
	// RefusedKern and RefusedRuntime split Refused the same way.
	RefusedKern, RefusedRuntime [NumRules]int
}

// Count applies Target and Callable to every function of t; code returns
// the bytes at a function's entry (nil if unreadable, which counts as too
// short). The error is that of a function the table cannot decode.
func Count(t *functab.Table, code func(f *functab.Func) []byte) (Counts, error) {
	var c Counts
	for i := 0; i < t.Len(); i++ {
		f, err := t.Func(i)
		if err != nil {
			return Counts{}, err
		}
		c.Funcs++
		pkg := functab.Package(f.Name)
		kern := pkg == "main" || pkg == "gojos/kern" || strings.HasPrefix(pkg, "gojos/kern/")
		if kern {
			c.KernAll++
		}
		if pkg == "runtime" {
			c.RuntimeAll++
		}
		if Callable(f) == nil {
			c.Callable++
		}
		r := Target(t, f, code(f), false)
		if r == nil {
			c.Patchable++
			if kern {
				c.Kern++
			}
			if pkg == "runtime" {
				c.Runtime++
			}
			continue
		}
		c.Refused[r.Rule]++
		if kern {
			c.RefusedKern[r.Rule]++
		}
		if pkg == "runtime" {
			c.RefusedRuntime[r.Rule]++
		}
		if r.Rule == Inlined {
			c.Forced++
		}
	}
	return c, nil
}

// String is the report kpatch -s and mkfunctab -stats print.
func (c Counts) String() string {
	var b strings.Builder
	row := func(what string, all, kern, rt int, extra string) {
		fmt.Fprintf(&b, "%-22s %6d %11d %8d%s\n", what, all, kern, rt, extra)
	}
	fmt.Fprintf(&b, "%-22s %6s %11s %8s\n", "", "all", "gojos/kern", "runtime")
	row("kernel functions", c.Funcs, c.KernAll, c.RuntimeAll, "")
	row("patchable", c.Patchable, c.Kern, c.Runtime, "")
	row("refused", c.Funcs-c.Patchable, c.KernAll-c.Kern, c.RuntimeAll-c.Runtime, "")
	for r := TooShort; r <= Inlined; r++ {
		extra := ""
		if r == Inlined {
			extra = "  (kpatch -f patches them anyway)"
		}
		row("  "+r.String(), c.Refused[r], c.RefusedKern[r], c.RefusedRuntime[r], extra)
	}
	fmt.Fprintf(&b, "%-22s %6d\n", "callable by kcall", c.Callable)
	return b.String()
}
