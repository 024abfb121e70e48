package kpatch

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unsafe"

	"gojos/kern/functab"
	"gojos/kern/kabi/cproto"
	"gojos/kern/kpatch/plan"
	"gojos/kern/kpatch/rules"
	"gojos/kern/ksym"
	"gojos/kern/module"
)

// function is a resolved function entry.
type function struct {
	name   string
	addr   uint32
	size   uint32
	module *module.Module // nil for a kernel function
	proto  string         // a module function's C prototype (declared, or cproto.Default)
	short  string         // short(f), made once by fromSym (empty: made at each use)
	label  string         // "short (0x…)", made once by fromSym, for answers
}

// resolved remembers what resolve answered for each argument, with the
// symbol table's generation it held for (ksym.Table.Gen: a module's load
// or unload changes it). A patch, an unpatch and a kcall name the same few
// functions again and again; a lookup costs hundreds of instructions and a
// map hit a few dozen. The entries are never changed once made: resolve
// hands out pointers to them. The caller holds mu.
var resolved = map[string]resolvedFunc{}

type resolvedFunc struct {
	f   *function
	gen uint64
}

// recent are the last arguments resolve answered, looked at before the
// map: hashing a name for the map costs about 200 instructions on the
// emulated CPU (no AES instructions: the runtime's generic hash), and
// comparing it with four names far less. A patch names two functions and
// its unpatch one of them again. The caller holds mu.
var (
	recent [4]struct {
		arg string
		r   resolvedFunc
	}
	recentNext int
)

// resolve turns a symbol name or a 0x address into a function entry, with
// a clear error for anything else. The entry is shared: the caller reads
// it and copies what it keeps. The caller holds mu.
func resolve(arg string) (*function, error) {
	gen := syms.Gen()
	for i := range recent {
		if e := &recent[i]; e.arg == arg && e.r.gen == gen && arg != "" {
			return e.r.f, nil
		}
	}
	r, ok := resolved[arg]
	if !ok || r.gen != gen {
		f, err := lookupFunction(arg)
		if err != nil {
			return nil, err
		}
		if len(resolved) >= 256 {
			clear(resolved) // bounded: whatever is used again comes back
		}
		r = resolvedFunc{&f, gen}
		resolved[arg] = r
	}
	recent[recentNext].arg, recent[recentNext].r = arg, r
	recentNext = (recentNext + 1) % len(recent)
	return r.f, nil
}

// lookupFunction is resolve without the memo.
func lookupFunction(arg string) (function, error) {
	var addr uint32
	if strings.HasPrefix(arg, "0x") || strings.HasPrefix(arg, "0X") {
		v, err := strconv.ParseUint(arg[2:], 16, 32)
		if err != nil {
			return function{}, fmt.Errorf("%q is not a valid address (want hexadecimal like 0xc0123456)", arg)
		}
		addr = uint32(v)
	} else if c := arg[0]; c >= '0' && c <= '9' {
		return function{}, fmt.Errorf("%q is not a valid address: write addresses in hexadecimal with 0x", arg)
	} else {
		s, err := syms.Lookup(arg)
		if err != nil {
			return function{}, err
		}
		if s.Kind != ksym.Func {
			return function{}, fmt.Errorf("%s is a %s symbol at %#x, not a function", s.Name, strings.ToLower(s.Kind.String()), s.Addr)
		}
		return fromSym(s, s.Addr)
	}
	s, off, ok := syms.Addr(addr)
	if !ok {
		return function{}, fmt.Errorf("no kernel or module function at %#x (not a symbol address; unmapped or outside kernel text)", addr)
	}
	if s.Kind != ksym.Func {
		return function{}, fmt.Errorf("%#x is in %s, a %s symbol, not a function", addr, s.Name, strings.ToLower(s.Kind.String()))
	}
	if off != 0 {
		return function{}, fmt.Errorf("%#x is not a function entry: it is %s+%#x", addr, s.Name, off)
	}
	return fromSym(s, addr)
}

// fromSym is the function entry of s, a function symbol at addr.
func fromSym(s ksym.Sym, addr uint32) (function, error) {
	f := function{name: s.Name, addr: addr, size: s.Size}
	if s.Module != "" {
		f.module = module.Containing(addr)
		if f.module == nil {
			return function{}, fmt.Errorf("%s: module %s is not loaded", s.Name, s.Module)
		}
		f.proto = cproto.Default
		for _, e := range f.module.Exports {
			if e.Addr == addr && e.Name == s.Name && e.Proto != "" {
				f.proto = e.Proto
			}
		}
	}
	// resolve keeps f: its answers name f without a scan of the name or
	// a hexadecimal conversion.
	f.short = short(&f)
	f.label = label(f.short, addr)
	return f, nil
}

// goFunc is f's entry in the function table, for a kernel function. The
// caller holds mu.
func goFunc(f *function) (*functab.Func, error) {
	if tf := tab.funcs[f.addr]; tf != nil && tab.err == nil {
		// Found and cross-checked before (kernel text does not change),
		// and the table has not been found wrong since (table()).
		return tf, nil
	}
	t, err := loadedTable()
	if err != nil {
		return nil, err
	}
	tf, err := t.ByAddr(f.addr)
	if err != nil && !errors.Is(err, functab.ErrNotFound) {
		return nil, fmt.Errorf("%s: %v", TablePath, err)
	}
	if err != nil || tf.Entry != f.addr {
		return nil, fmt.Errorf("%s (%#x) is not in the kernel's function table", f.name, f.addr)
	}
	if err := checked(t, tf); err != nil { // remembers tf in tab.funcs
		return nil, err
	}
	return tf, nil
}

func short(f *function) string {
	if f.short != "" {
		return f.short
	}
	if f.module != nil {
		return f.name + " [" + f.module.Name + "]"
	}
	return ksym.ShortName(f.name)
}

// text is n bytes of code at addr, in place (read only).
func text(addr uint32, n int) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(uintptr(addr))), n)
}

// code reads the first bytes of a kernel function (at most its size).
func code(addr uint32, n int) []byte { return append([]byte(nil), text(addr, n)...) }

// patchEntry is entryCode in a buffer of its own, for Patch (the caller
// holds mu): a patch allocates nothing for its entry bytes, which the plan
// does not keep (the Planner copies them).
func patchEntry(addr, size uint32) []byte {
	return entryBuf[:copy(entryBuf[:], text(addr, int(min(size, plan.MaxCode))))]
}

var entryBuf [plan.MaxCode]byte

// entryCode is what plan.New needs of a function: plan.MaxCode bytes, or
// up to its end.
func entryCode(addr, size uint32) []byte {
	return code(addr, int(min(size, plan.MaxCode)))
}

// signature describes a function's type for messages and listings: the Go
// signature, or a module function's C prototype.
func signature(f *function) string {
	if f.module != nil {
		return f.proto
	}
	tf, err := goFunc(f) // checks this function, not the whole table
	if err != nil {
		return ""
	}
	if s := typeSignature(tf); s != "" {
		return s
	}
	if tf.Flags&functab.FlagAsm != 0 {
		return "(assembly)"
	}
	return ""
}

// byEntry remembers what a function of the kernel's table answered, by
// its entry: kernel text, and so its table, does not change. The caller
// holds mu.
type byEntry[V any] map[uint32]V

// of is f(tf), computed at tf's first use.
func (m byEntry[V]) of(tf *functab.Func, f func(*functab.Func) V) V {
	v, ok := m[tf.Entry]
	if !ok {
		v = f(tf)
		m[tf.Entry] = v
	}
	return v
}

var (
	sigs      = byEntry[string]{}         // Go signatures of the functions patched or listed
	statics   = byEntry[*rules.Refusal]{} // rules.Static's verdicts (patch targets and replacements)
	callables = byEntry[*rules.Refusal]{} // rules.Callable's verdicts (kcall)
)

// typeSignature is tf.TypeSignature(), built once per function. The caller
// holds mu.
func typeSignature(tf *functab.Func) string { return sigs.of(tf, (*functab.Func).TypeSignature) }

// static is rules.Static(tf), decided once per function. The caller holds
// mu.
func static(tf *functab.Func) *rules.Refusal { return statics.of(tf, rules.Static) }

// callable is rules.Callable(tf), decided once per function. The caller
// holds mu.
func callable(tf *functab.Func) *rules.Refusal { return callables.of(tf, rules.Callable) }
