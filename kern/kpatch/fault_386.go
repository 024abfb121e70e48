package kpatch

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"syscall"

	"gojos/kern/kabi"
	"gojos/kern/module"
)

// Faults in module code reached through a patch (kern/kabi contains them:
// the patched function's caller gets zero results) are handled here: the
// module is marked faulted and every patch that jumps into it is reverted,
// so the faulty code is not entered again. A goroutine waits for the
// kabi guard's fault counter; Kcall handles the faults of its own call at
// once, so that its caller sees the outcome. Each fault is handled once.

// handled maps the sequence numbers of faults dealt with to what was said
// about them (under mu): a kcall whose fault the watcher handled first
// still reports it.
var handled = map[uint32]string{}

// watchFaults runs for the kernel's lifetime.
func watchFaults() {
	seen := kabi.Faults()
	for {
		kabi.WaitFault(seen)
		now := kabi.Faults()
		mu.Lock()
		handleFaults(kabi.FaultsSince(seen))
		mu.Unlock()
		seen = now
	}
}

// handleFaults deals with the patch-bridge faults among fs that were not
// handled yet, and returns the descriptions of all of them (those handled
// before, by the watcher or another call, as they were). The caller holds
// mu.
func handleFaults(fs []kabi.Fault) []string {
	var out []string
	for _, f := range fs {
		if f.Kind != kabi.FaultInPatch {
			continue
		}
		if msg, ok := handled[f.Seq]; ok {
			out = append(out, msg)
			continue
		}
		handled[f.Seq] = "" // until the message is known
		for s := range handled {
			if f.Seq-s > 1024 {
				delete(handled, s)
			}
		}
		m := module.Containing(f.Fn)
		if m == nil {
			fmt.Printf("gojos: oops: a patched call faulted in code of no loaded module (%s)\n", f.Describe())
			handled[f.Seq] = "a patched call faulted in code of no loaded module (" + f.Describe() + ")"
			continue
		}
		err := module.RecordFault(m, &kabi.FaultError{Fault: f}, fmt.Sprintf("patched call to %s", syms.FormatAddr(f.Fn)))
		reverted := revertInto(m)
		msg := err.Error()
		if len(reverted) > 0 {
			msg += "; reverted " + strings.Join(reverted, ", ")
			fmt.Printf("gojos: kpatch: reverted the patches into faulted module %s: %s\n", m.Name, strings.Join(reverted, ", "))
		}
		handled[f.Seq] = msg
		out = append(out, msg)
	}
	return out
}

// revertInto removes every patch whose replacement is code of m and
// returns them as "target -> replacement". The caller holds mu.
func revertInto(m *module.Module) []string {
	var keys [][2]uint32
	for k, p := range active {
		if p.repl.module == m {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i][0] < keys[j][0] || keys[i][0] == keys[j][0] && keys[i][1] < keys[j][1]
	})
	var out []string
	for _, k := range keys {
		p := active[k]
		name := fmt.Sprintf("%s -> %s", short(&p.target), syms.FormatAddr(p.repl.addr))
		for n := p.n; n > 0; n-- {
			if err := remove(k[0], k[1]); err != nil {
				fmt.Printf("gojos: kpatch: could not revert %s: %v\n", name, err)
				break
			}
		}
		out = append(out, name)
	}
	return out
}

// callContained runs call (a call of a kernel function, maybe patched into
// a module) and turns a module fault during it into an error.
func callContained(name string, call func()) error {
	before := kabi.Faults()
	call()
	mu.Lock()
	defer mu.Unlock()
	if msgs := handleFaults(kabi.FaultsSince(before)); len(msgs) > 0 {
		return fmt.Errorf("%s ran module code that faulted: %s: %w", name, strings.Join(msgs, "; "), syscall.EFAULT)
	}
	return nil
}

// callModule calls the C function of module m at addr with cdecl argument
// words for kcall.
func callModule(m *module.Module, addr uint32, name string, args []uint32) (lo, hi uint32, err error) {
	lo, hi, err = kabi.CallArgs(uintptr(addr), args)
	var fe *kabi.FaultError
	if errors.As(err, &fe) {
		mu.Lock()
		defer mu.Unlock()
		err := module.RecordFault(m, fe, "kcall of "+name)
		msg := err.Error()
		if reverted := revertInto(m); len(reverted) > 0 {
			msg += "; reverted " + strings.Join(reverted, ", ")
		}
		return 0, 0, fmt.Errorf("%s: %w", msg, syscall.EFAULT)
	}
	return lo, hi, err
}
