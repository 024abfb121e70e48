package module

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"

	"gojos/kern/kabi"
	"gojos/kern/module/elfrel"
)

// Taint flags, with Linux's bit numbers and letters.
const (
	// TaintDie ('D'): code ran into a CPU exception that was contained — a
	// module's code faulted and its call was unwound (Linux sets it when the
	// kernel oopses).
	TaintDie = 1 << 7
	// TaintUnsignedModule ('E'): a module without a trusted signature was
	// loaded (only possible with module.sig_enforce=0).
	TaintUnsignedModule = 1 << 13
)

// taintUnsigned taints the kernel for an unsigned module with one line.
func taintUnsigned(name string) {
	taint.Or(TaintUnsignedModule)
	fmt.Printf("gojos: module %s is not signed with a trusted key: loaded because module.sig_enforce=0, kernel tainted (E)\n", name)
}

var taint atomic.Uint32

// Tainted returns the kernel's taint flags (/proc/sys/kernel/tainted).
func Tainted() uint32 { return taint.Load() }

// TaintText renders the taint flags as /proc/sys/kernel/tainted does: the
// decimal bitmask and a newline.
func TaintText() []byte { return []byte(fmt.Sprintf("%d\n", Tainted())) }

// Faulted reports how many of the module's calls faulted.
func (m *Module) Faulted() int {
	mu.Lock()
	defer mu.Unlock()
	return m.faults
}

// call runs the module's C function fn (what names it in messages) with
// faults contained: a fault in it is an error naming the module, the
// function and the fault, the module is marked faulted and the kernel
// tainted. The caller holds mu.
func (m *Module) call(fn uint32, what string) (int32, error) {
	r, err := kabi.Call(uintptr(fn))
	var fe *kabi.FaultError
	if errors.As(err, &fe) {
		return 0, m.recordFault(fe, what)
	}
	return r, err
}

// recordFault marks m faulted, taints the kernel and prints the oops line;
// the caller holds mu. It returns the error for the caller of the call.
func (m *Module) recordFault(fe *kabi.FaultError, what string) error {
	m.faults++
	taint.Or(TaintDie)
	where := ""
	if !fe.Lost {
		where = " in " + m.symbolize(fe.Eip)
	}
	msg := fmt.Sprintf("module %s: %s faulted: %v%s", m.Name, what, strings.TrimPrefix(fe.Error(), "module code faulted: "), where)
	fmt.Printf("gojos: oops: %s; call unwound, module marked faulted, kernel tainted (D)\n", msg)
	return errors.New(msg)
}

// RecordFault records a fault that another package contained (a
// kcall of a module function, a patched function's bridge). It returns the
// error describing the fault.
func RecordFault(m *Module, fe *kabi.FaultError, what string) error {
	mu.Lock()
	defer mu.Unlock()
	return m.recordFault(fe, what)
}

// symbolize names addr as module symbol+offset when it lies in m's text,
// else as a bare address.
func (m *Module) symbolize(addr uint32) string {
	lo, hi := m.Text()
	if addr < lo || addr >= hi {
		name := fmt.Sprintf("%#x", addr)
		if Syms != nil {
			name = Syms.FormatAddr(addr)
		}
		return fmt.Sprintf("%s (outside %s's text)", name, m.Name)
	}
	var best *elfrel.Export
	for i := range m.Exports {
		e := &m.Exports[i]
		if e.Func && e.Addr <= addr && (best == nil || e.Addr > best.Addr) {
			best = e
		}
	}
	if best == nil {
		return fmt.Sprintf("%s+%#x (%#x)", m.Name, addr-lo, addr)
	}
	return fmt.Sprintf("%s+%#x (%#x, %s+%#x)", best.Name, addr-best.Addr, addr, m.Name, addr-lo)
}

// moduleTaints is the taint field of a /proc/modules line: "", or the
// module's taint letters in parentheses, in bit order: " (D)", " (E)", " (DE)".
func (m *Module) moduleTaints() string {
	t := ""
	if m.faults > 0 {
		t += "D"
	}
	if m.unsigned {
		t += "E"
	}
	if t == "" {
		return ""
	}
	return " (" + t + ")"
}

// Faulty lists the loaded modules whose code has faulted, by name.
func Faulty() []string {
	mu.Lock()
	defer mu.Unlock()
	var out []string
	for _, m := range modules {
		if m.faults > 0 {
			out = append(out, m.Name)
		}
	}
	sort.Strings(out)
	return out
}
