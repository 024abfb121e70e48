package kpatch

import (
	"fmt"
	"strings"
	"syscall"

	"gojos/kern/kpatch/livepatch"
	"gojos/kern/kpatch/plan"
)

// LivepatchList describes the loaded livepatch modules, their state and
// functions, then every patch stack (kpatch's own patches and the
// modules', oldest first): kpatch list and /proc/livepatch.
func LivepatchList() string {
	lp.mu.Lock()
	defer lp.mu.Unlock()
	var b strings.Builder
	if len(lp.mods) == 0 {
		b.WriteString("no livepatch modules are loaded\n")
	} else {
		b.WriteString("livepatch modules, in load order:\n")
	}
	for _, lm := range lp.mods {
		fmt.Fprintf(&b, "%s: %s, %d functions%s\n", lm.name, lm.stateText(), len(lm.funcs), replaceText(lm))
		for _, f := range lm.funcs {
			fmt.Fprintf(&b, "  %s -> %s\n", f.target.name, f.repl.name)
		}
	}
	b.WriteString("patched functions:\n")
	b.WriteString(List())
	return b.String()
}

func (lm *lpModule) stateText() string {
	if lm.state == lpReplaced {
		return "replaced by " + lm.byWhom
	}
	return lm.state.String()
}

func replaceText(lm *lpModule) string {
	if lm.table.Replaces() {
		return ", atomic replace"
	}
	return ""
}

// LivepatchInfo describes one livepatch module in full: kpatch info NAME.
func LivepatchInfo(name string) (string, error) {
	lp.mu.Lock()
	defer lp.mu.Unlock()
	lm := findLP(name)
	if lm == nil {
		return "", fmt.Errorf("%s is not a loaded livepatch module: %w", name, syscall.ENOENT)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s%s\n", lm.name, lm.stateText(), replaceText(lm))
	fmt.Fprintf(&b, "  built for kernel %s (this kernel)\n", livepatch.ShortID(lm.table.BuildID))
	fmt.Fprintf(&b, "  switched in %v after %d consistency checks\n", lm.took, lm.checks)
	var cbs []string
	for i, a := range lm.cb {
		if a != 0 {
			cbs = append(cbs, strings.TrimPrefix(cbSymbols[i], "livepatch_"))
		}
	}
	if len(cbs) == 0 {
		cbs = []string{"none"}
	}
	fmt.Fprintf(&b, "  callbacks: %s\n", strings.Join(cbs, ", "))
	mu.Lock()
	defer mu.Unlock()
	for _, f := range lm.funcs {
		inEffect := "not in effect"
		if s := patches.Stack(f.target.addr); s != nil && lm.state == lpEnabled {
			if cur := s.Current(); cur == plan.Jump(f.target.addr, f.dest) {
				inEffect = "in effect"
			} else {
				inEffect = "covered by a newer patch"
			}
		}
		fmt.Fprintf(&b, "  %s (%#x): %s\n    -> %s (%#x), C %s, via a Go→C bridge at %#x: %s\n",
			f.target.name, f.target.addr, f.sig, f.repl.name, f.repl.addr, f.repl.proto, f.dest, inEffect)
	}
	return b.String(), nil
}

// LivepatchLast is what the newest livepatch load switched.
func LivepatchLast() string {
	lp.mu.Lock()
	defer lp.mu.Unlock()
	if lp.last == "" {
		return "no livepatch module was loaded\n"
	}
	return lp.last
}

// ProcLivepatch is /proc/livepatch.
func ProcLivepatch() []byte { return []byte(LivepatchList()) }
