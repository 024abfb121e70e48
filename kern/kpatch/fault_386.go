package kpatch

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"syscall"
	"unsafe"

	"gojos/kern/kabi"
	"gojos/kern/ksym"
	"gojos/kern/module"
)

// Faults in module code reached through a patch (kern/kabi contains them:
// the patched function's caller gets zero results) are handled here: the
// module is marked faulted and every patch that jumps into it is reverted,
// so the faulty code is not entered again. A goroutine waits for the
// kabi guard's fault counter; Kcall handles the faults of its own call at
// once, so that its caller sees the outcome. Each fault is handled once.

var handled = map[uint32]bool{} // fault sequence numbers dealt with (under mu)

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
// handled yet, and returns their descriptions. The caller holds mu.
func handleFaults(fs []kabi.Fault) []string {
	var out []string
	for _, f := range fs {
		if f.Kind != kabi.FaultInPatch || handled[f.Seq] {
			continue
		}
		handled[f.Seq] = true
		for s := range handled {
			if f.Seq-s > 1024 {
				delete(handled, s)
			}
		}
		m := module.Containing(f.Fn)
		if m == nil {
			fmt.Printf("gojos: oops: a patched call faulted in code of no loaded module (%s)\n", f.Describe())
			continue
		}
		err := module.RecordFault(m, &kabi.FaultError{Fault: f}, fmt.Sprintf("patched call to %s", syms.FormatAddr(f.Fn)))
		reverted := revertInto(m)
		msg := err.Error()
		if len(reverted) > 0 {
			msg += "; reverted " + strings.Join(reverted, ", ")
			fmt.Printf("gojos: kpatch: reverted the patches into faulted module %s: %s\n", m.Name, strings.Join(reverted, ", "))
		}
		out = append(out, msg)
	}
	return out
}

// revertInto removes every patch whose replacement is code of m and
// returns them as "target -> replacement". The caller holds mu.
func revertInto(m *module.Module) []string {
	var keys [][2]uint32
	for k, st := range stubs {
		if st.module == m {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i][0] < keys[j][0] || keys[i][0] == keys[j][0] && keys[i][1] < keys[j][1]
	})
	var out []string
	for _, k := range keys {
		st := stubs[k]
		dest := uint32(uintptr(unsafe.Pointer(&st.mem[0])))
		after, changed, err := patches.Remove(k[0], dest)
		if err == nil && changed {
			err = poke(k[0], after[:])
		}
		name := fmt.Sprintf("%s -> %s", ksym.ShortName(syms.FormatAddr(k[0])), syms.FormatAddr(k[1]))
		if err != nil {
			fmt.Printf("gojos: kpatch: could not revert %s: %v\n", name, err)
			continue
		}
		syscall.Munmap(st.mem)
		delete(stubs, k)
		out = append(out, name)
	}
	return out
}

// callContained calls fn (a declared kernel function, maybe patched into a
// module) and turns a module fault during the call into an error.
func callContained(name string, fn func() int32) (int32, error) {
	before := kabi.Faults()
	r := fn()
	mu.Lock()
	defer mu.Unlock()
	if msgs := handleFaults(kabi.FaultsSince(before)); len(msgs) > 0 {
		return 0, fmt.Errorf("%s ran module code that faulted: %s: %w", name, strings.Join(msgs, "; "), syscall.EFAULT)
	}
	return r, nil
}

// callModule calls the C function of module m at addr for kcall.
func callModule(m *module.Module, addr uint32, name string) (int32, error) {
	r, err := kabi.Call(uintptr(addr))
	var fe *kabi.FaultError
	if errors.As(err, &fe) {
		mu.Lock()
		defer mu.Unlock()
		err := module.RecordFault(m, fe, "kcall of "+name)
		msg := err.Error()
		if reverted := revertInto(m); len(reverted) > 0 {
			msg += "; reverted " + strings.Join(reverted, ", ")
		}
		return 0, fmt.Errorf("%s: %w", msg, syscall.EFAULT)
	}
	return r, err
}
