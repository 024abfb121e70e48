package main

import (
	"debug/elf"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"gojos/kern/functab"
	"gojos/kern/functab/elfbuild"
	"gojos/kern/kpatch/livepatch"
	"gojos/kern/kpatch/plan"
	"gojos/kern/module/elfrel"
)

type options struct {
	rule, functab, kernel, obj, out string
	buildID                         string
	replace                         bool
	patches, force                  multi
}

func run(o options) error {
	if o.functab == "" || o.kernel == "" || o.obj == "" || o.out == "" {
		return errors.New("-functab, -kernel, -obj and -out are required")
	}
	who := "gojos_livepatch " + o.rule
	if o.rule == "" {
		who = "livepatch " + o.obj
	}
	obj, err := os.ReadFile(o.obj)
	if err != nil {
		return err
	}
	table, errs := build(o, obj)
	if len(errs) > 0 {
		for i := range errs {
			errs[i] = "  " + errs[i]
		}
		return fmt.Errorf("%s: %d bad patch(es):\n%s", who, len(errs), strings.Join(errs, "\n"))
	}
	out, err := elfrel.AppendSection(obj, livepatch.Section, livepatch.Encode(table))
	if err != nil {
		return fmt.Errorf("%s: %s: %v", who, o.obj, err)
	}
	return os.WriteFile(o.out, out, 0o644)
}

// build checks every patch and returns the table, or one message per
// problem.
func build(o options, obj []byte) (*livepatch.Table, []string) {
	data, err := os.ReadFile(o.functab)
	if err != nil {
		return nil, []string{err.Error()}
	}
	tab, err := functab.Decode(data)
	if err != nil {
		return nil, []string{fmt.Sprintf("%s: %v", o.functab, err)}
	}
	code, err := entryCode(o.kernel, tab)
	if err != nil {
		return nil, []string{err.Error()}
	}
	img, err := layout(obj)
	if err != nil {
		return nil, []string{fmt.Sprintf("%s: %v", o.obj, err)}
	}
	if len(o.patches) == 0 {
		return nil, []string{"patches is empty: a livepatch module patches at least one function"}
	}
	t := &livepatch.Table{BuildID: tab.ImageHash}
	if o.replace {
		t.Flags |= livepatch.Replace
	}
	if o.buildID != "" {
		id, err := hex.DecodeString(o.buildID)
		if err != nil || len(id) != len(t.BuildID) {
			return nil, []string{fmt.Sprintf("-build-id %q: want %d hex digits", o.buildID, 2*len(t.BuildID))}
		}
		copy(t.BuildID[:], id)
	}
	force := map[string]bool{}
	for _, f := range o.force {
		force[f] = true
	}
	var errs []string
	seen := map[string]string{}
	used := map[string]bool{}
	for _, p := range o.patches {
		target, repl, ok := strings.Cut(p, "=")
		if !ok || target == "" || repl == "" {
			errs = append(errs, fmt.Sprintf("patch %q: want \"kernel function\": \"C replacement\"", p))
			continue
		}
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Sprintf("patch %s -> %s: %s", target, repl, fmt.Sprintf(format, args...)))
		}
		f, err := livepatch.Resolve(tab, target)
		if err != nil {
			bad("%v", err)
			continue
		}
		if prev, dup := seen[f.Name]; dup {
			bad("%s is already patched by %s in this module", f.Name, prev)
			continue
		}
		seen[f.Name] = repl
		e := livepatch.Entry{Target: f.Name, SigHash: f.Hash(), Repl: repl}
		if force[target] || force[f.Name] {
			e.Flags |= livepatch.FlagForce
			used[target], used[f.Name] = true, true
		}
		if !isFunc(img, repl) {
			bad("replacement %s is not a global function defined in the module", repl)
			continue
		}
		if _, err := livepatch.Check(tab, e, code, img.Protos[repl]); err != nil {
			bad("%v", err)
			continue
		}
		t.Entries = append(t.Entries, e)
	}
	var undefined []string
	for _, s := range img.Obj.Symbols[1:] {
		if s.Shndx == elfrel.SHN_UNDEF && s.Name != "" {
			undefined = append(undefined, s.Name)
		}
	}
	var origs []string
	for repl := range livepatch.OriginalCalls(undefined) {
		origs = append(origs, repl)
	}
	sort.Strings(origs)
	for _, repl := range origs {
		target := ""
		for _, p := range o.patches {
			if t, r, ok := strings.Cut(p, "="); ok && r == repl {
				target = t
			}
		}
		if target == "" {
			errs = append(errs, fmt.Sprintf("KPATCH_ORIGINAL(%s): %s replaces no function of patches", repl, repl))
			continue
		}
		if f, err := livepatch.Resolve(tab, target); err == nil {
			if err := livepatch.CheckOriginal(f); err != nil {
				errs = append(errs, fmt.Sprintf("patch %s -> %s: %v", target, repl, err))
			}
		}
	}
	for _, f := range o.force {
		if !used[f] {
			errs = append(errs, fmt.Sprintf("force names %s, which the module does not patch", f))
		}
	}
	sort.Slice(t.Entries, func(i, j int) bool { return t.Entries[i].Target < t.Entries[j].Target })
	return t, errs
}

// layout parses the module object as the kernel's loader will.
func layout(obj []byte) (*elfrel.Image, error) {
	o, err := elfrel.Parse(obj)
	if err != nil {
		return nil, err
	}
	return elfrel.Layout(o)
}

// isFunc reports whether name is a global function defined in the module.
func isFunc(img *elfrel.Image, name string) bool {
	s, ok := img.Obj.Lookup(name)
	return ok && s.Shndx != elfrel.SHN_UNDEF && s.Bind() == elfrel.STB_GLOBAL && s.Type() == elfrel.STT_FUNC
}

// entryCode returns the bytes at a function's entry from the kernel ELF's
// .text, for the rules; the table must belong to that kernel.
func entryCode(path string, tab *functab.Table) (func(*functab.Func) []byte, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h, err := elfbuild.ImageHash(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if h != tab.ImageHash {
		return nil, fmt.Errorf("the function table is for kernel %s, %s is %s", livepatch.ShortID(tab.ImageHash), path, livepatch.ShortID(h))
	}
	return elfbuild.EntryCode(f, plan.MaxCode)
}
