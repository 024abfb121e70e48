package kpatch

import (
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"unsafe"

	"gojos/kern/abi/linux"
	"gojos/kern/kabi"
	"gojos/kern/kpatch/plan"
	"gojos/kern/ksym"
	"gojos/kern/module"
)

// Callable is a kernel function declared callable and patchable.
type Callable struct {
	Name string
	Fn   func() int32
	Addr uint32
}

var (
	mu       sync.Mutex
	syms     *ksym.Table
	callable = map[uint32]*Callable{}
	patches  plan.Set
	// for each (target, replacement) patch whose replacement is C: the stub
	// memory and the module it jumps into
	stubs = map[[2]uint32]*stub{}
)

type stub struct {
	mem    []byte
	module *module.Module
	cfunc  uint32
}

// Init installs the symbol table and declares the callable functions.
func Init(t *ksym.Table) {
	syms = t
	Register("kpatch_test1", kpatch_test1)
	Register("kpatch_test2", kpatch_test2)
	Register("kpatch_bench_a", kpatch_bench_a)
	Register("kpatch_bench_b", kpatch_bench_b)
	Register("kpatch_bench_c", kpatch_bench_c)
	Register("kpatch_bench_d", kpatch_bench_d)
	module.BeforeUnload = refuseUnloadWhilePatched
	go watchFaults()
}

// CrossCheck confirms the symbol table against the Go runtime's own
// function table for every declared function: same name at the same entry.
func CrossCheck() error {
	for a, c := range callable {
		s, off, ok := syms.Addr(a)
		f := runtime.FuncForPC(uintptr(a))
		if !ok || off != 0 || f == nil || f.Entry() != uintptr(a) || f.Name() != s.Name {
			rt := "(none)"
			if f != nil {
				rt = fmt.Sprintf("%s at %#x", f.Name(), f.Entry())
			}
			return fmt.Errorf("%s at %#x: .symtab says %s, the runtime says %s", c.Name, a, syms.FormatAddr(a), rt)
		}
	}
	return nil
}

// Register declares fn (of type func() int32) callable by kcall and
// patchable by kpatch.
func Register(name string, fn func() int32) {
	a := uint32(reflect.ValueOf(fn).Pointer())
	callable[a] = &Callable{Name: name, Fn: fn, Addr: a}
}

// function is a resolved function entry.
type function struct {
	name   string
	addr   uint32
	size   uint32
	module *module.Module // nil for a kernel function
}

// resolve turns a symbol name or a 0x address into a function entry, with
// a clear error for anything else.
func resolve(arg string) (function, error) {
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
		addr = s.Addr
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
	f := function{name: s.Name, addr: addr, size: s.Size}
	if s.Module != "" {
		f.module = module.Containing(addr)
		if f.module == nil {
			return function{}, fmt.Errorf("%s: module %s is not loaded", s.Name, s.Module)
		}
	}
	return f, nil
}

func short(f function) string {
	if f.module != nil {
		return f.name + " [" + f.module.Name + "]"
	}
	return ksym.ShortName(f.name)
}

// Kcall calls a callable kernel function or a module function.
func Kcall(arg string) (string, error) {
	mu.Lock()
	f, err := resolve(arg)
	mu.Unlock()
	if err != nil {
		return "", err
	}
	if f.module != nil {
		r, err := callModule(f.module, f.addr, short(f))
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%s returned %d\n", short(f), r), nil
	}
	c := callable[f.addr]
	if c == nil {
		return "", fmt.Errorf("%s cannot be called: its signature is unknown (kcall calls only functions declared with no parameters and an int result; see kpatch -l for patched ones)", f.name)
	}
	r, err := callContained(c.Name, c.Fn)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s returned %d\n", c.Name, r), nil
}

// code reads the first bytes of a function.
func code(addr uint32, n int) []byte {
	b := make([]byte, n)
	copy(b, unsafe.Slice((*byte)(unsafe.Pointer(uintptr(addr))), n))
	return b
}

func poke(addr uint32, b []byte) error {
	_, _, e := syscall.RawSyscall(linux.SYS_gojos_textpoke, uintptr(addr), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	if e != 0 {
		return fmt.Errorf("writing %d bytes at %#x: %v", len(b), addr, e)
	}
	return nil
}

// Patch redirects target to repl.
func Patch(targetArg, replArg string) (string, error) {
	mu.Lock()
	defer mu.Unlock()
	t, err := resolve(targetArg)
	if err != nil {
		return "", fmt.Errorf("target: %v", err)
	}
	r, err := resolve(replArg)
	if err != nil {
		return "", fmt.Errorf("replacement: %v", err)
	}
	if t.module != nil {
		return "", fmt.Errorf("target %s is module code: only kernel functions can be patched", short(t))
	}
	if t.addr == r.addr {
		return "", fmt.Errorf("%s cannot replace itself", short(t))
	}
	// Whole instructions covering the jump, inside the function.
	if _, err := plan.New(plan.Func{Name: t.name, Start: t.addr, Size: t.size}, t.addr, code(t.addr, plan.MaxCode), r.addr); err != nil {
		return "", err
	}
	if callable[t.addr] == nil {
		return "", fmt.Errorf("target %s has no known signature: only functions declared patchable (func() int32) can be patched", t.name)
	}
	if r.module == nil && callable[r.addr] == nil {
		return "", fmt.Errorf("replacement %s has no known signature: it must be declared like the target (func() int32)", r.name)
	}
	dest := r.addr
	var st *stub
	if r.module != nil {
		// Go → C: jump to a stub that runs the C function on the module stack.
		key := [2]uint32{t.addr, r.addr}
		if stubs[key] == nil {
			mem, err := syscall.Mmap(-1, 0, 4096, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
			if err != nil {
				return "", err
			}
			a := uint32(uintptr(unsafe.Pointer(&mem[0])))
			b := kabi.PatchStub(a, r.addr)
			copy(mem, b[:])
			if err := syscall.Mprotect(mem, syscall.PROT_READ|syscall.PROT_EXEC); err != nil {
				return "", err
			}
			stubs[key] = &stub{mem: mem, module: r.module, cfunc: r.addr}
		}
		st = stubs[key]
		dest = uint32(uintptr(unsafe.Pointer(&st.mem[0])))
	}
	p, err := plan.New(plan.Func{Name: t.name, Start: t.addr, Size: t.size}, t.addr, code(t.addr, plan.MaxCode), dest)
	if err != nil {
		return "", err
	}
	bytes, err := patches.Push(p)
	if err != nil {
		return "", namedCycle(err)
	}
	if err := poke(t.addr, bytes[:]); err != nil {
		patches.Remove(t.addr, dest)
		return "", err
	}
	via := ""
	if st != nil {
		via = fmt.Sprintf(" via a Go→C bridge at %#x", dest)
	}
	return fmt.Sprintf("patched %s (%#x) -> %s (%#x)%s\n", short(t), t.addr, short(r), r.addr, via), nil
}

// Unpatch removes the newest patch of target (or the one to repl).
func Unpatch(targetArg, replArg string) (string, error) {
	mu.Lock()
	defer mu.Unlock()
	t, err := resolve(targetArg)
	if err != nil {
		return "", fmt.Errorf("target: %v", err)
	}
	s := patches.Stack(t.addr)
	if s == nil {
		return "", fmt.Errorf("%s is not patched", short(t))
	}
	list := s.List()
	dest := list[len(list)-1].Replacement
	if replArg != "" {
		r, err := resolve(replArg)
		if err != nil {
			return "", fmt.Errorf("replacement: %v", err)
		}
		dest = r.addr
		for k, st := range stubs {
			if k[0] == t.addr && k[1] == r.addr {
				dest = uint32(uintptr(unsafe.Pointer(&st.mem[0])))
			}
		}
	}
	after, changed, err := patches.Remove(t.addr, dest)
	if err != nil {
		return "", namedCycle(err)
	}
	if changed {
		if err := poke(t.addr, after[:]); err != nil {
			return "", err
		}
	}
	what := describe(dest)
	for k, st := range stubs {
		if k[0] == t.addr && uint32(uintptr(unsafe.Pointer(&st.mem[0]))) == dest {
			syscall.Munmap(st.mem)
			delete(stubs, k)
		}
	}
	return fmt.Sprintf("unpatched %s: removed the patch to %s\n", short(t), what), nil
}

// namedCycle spells a refused cycle of patches with function names.
func namedCycle(err error) error {
	var ce *plan.CycleError
	if !errors.As(err, &ce) {
		return err
	}
	names := make([]string, len(ce.Path))
	for i, a := range ce.Path {
		names[i] = ksym.ShortName(syms.FormatAddr(a))
	}
	return fmt.Errorf("refused: calls would loop forever through %s: %w", strings.Join(names, " -> "), syscall.ELOOP)
}

// describe names a patch destination (a function, or a bridge stub).
func describe(dest uint32) string {
	for k, st := range stubs {
		if uint32(uintptr(unsafe.Pointer(&st.mem[0]))) == dest {
			return syms.FormatAddr(k[1]) + " (via bridge)"
		}
	}
	return syms.FormatAddr(dest)
}

// List describes every patched function and its stack, oldest first.
func List() string {
	mu.Lock()
	defer mu.Unlock()
	var b strings.Builder
	targets := patches.Targets()
	if len(targets) == 0 {
		return "no functions are patched\n"
	}
	for _, t := range targets {
		fmt.Fprintf(&b, "%s (%#x):\n", syms.FormatAddr(t), t)
		for i, p := range patches.Stack(t).List() {
			fmt.Fprintf(&b, "  %d: -> %s\n", i, describe(p.Replacement))
		}
	}
	return b.String()
}

// Disassemble prints a function's code.
func Disassemble(arg string) (string, error) {
	mu.Lock()
	f, err := resolve(arg)
	mu.Unlock()
	if err != nil {
		return "", err
	}
	n := int(f.size)
	if n == 0 || n > 4096 {
		n = 256
	}
	lines := plan.Disassemble(code(f.addr, n), f.addr, 1<<20, func(a uint32) (string, uint32, bool) {
		s, _, ok := syms.Addr(a)
		return s.Name, s.Addr, ok
	})
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%#x, %d bytes):\n", f.name, f.addr, f.size)
	for _, l := range lines {
		b.WriteString(l.String())
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// Ksyms answers "address of a symbol" (NAME, or NAME+0xOFF) or "symbol of
// an address" (0xADDR).
func Ksyms(arg string) (string, error) {
	if strings.HasPrefix(arg, "0x") {
		v, err := strconv.ParseUint(arg[2:], 16, 32)
		if err != nil {
			return "", fmt.Errorf("%q is not a valid address", arg)
		}
		if _, _, ok := syms.Addr(uint32(v)); !ok {
			return "", fmt.Errorf("no symbol at %#x", v)
		}
		return fmt.Sprintf("%#x %s\n", v, syms.FormatAddr(uint32(v))), nil
	}
	name, off := arg, uint64(0)
	if i := strings.LastIndex(arg, "+"); i > 0 {
		o, err := strconv.ParseUint(strings.TrimPrefix(arg[i+1:], "0x"), 16, 32)
		if err != nil {
			return "", fmt.Errorf("%q: bad offset (want NAME+0xOFF)", arg)
		}
		name, off = arg[:i], o
	}
	s, err := syms.Lookup(name)
	if err != nil {
		return "", err
	}
	if off != 0 {
		return fmt.Sprintf("%#08x %s+%#x\n", s.Addr+uint32(off), s.Name, off), nil
	}
	return fmt.Sprintf("%#08x %c %s\n", s.Addr, s.Letter, s.Name), nil
}

func refuseUnloadWhilePatched(m *module.Module) error {
	mu.Lock()
	defer mu.Unlock()
	var users []string
	for k, st := range stubs {
		if st.module == m {
			users = append(users, fmt.Sprintf("%s -> %s", ksym.ShortName(syms.FormatAddr(k[0])), syms.FormatAddr(k[1])))
		}
	}
	if len(users) > 0 {
		sort.Strings(users)
		return fmt.Errorf("%s is in use by live patches (%s): remove them first with kpatch -u: %w",
			m.Name, strings.Join(users, ", "), syscall.EBUSY)
	}
	return nil
}

// Ctl serves one SYS_gojos_ctl request line.
func Ctl(req string) (string, error) {
	f := strings.Fields(req)
	if len(f) == 0 {
		return "", errors.New("empty request")
	}
	switch {
	case f[0] == "kcall" && len(f) == 2:
		return Kcall(f[1])
	case f[0] == "kpatch" && len(f) == 2 && f[1] == "-l":
		return List(), nil
	case f[0] == "kpatch" && len(f) == 3 && f[1] == "-d":
		return Disassemble(f[2])
	case f[0] == "kpatch" && (len(f) == 3 || len(f) == 4) && f[1] == "-u":
		r := ""
		if len(f) == 4 {
			r = f[3]
		}
		return Unpatch(f[2], r)
	case f[0] == "kpatch" && len(f) == 3 && !strings.HasPrefix(f[1], "-"):
		return Patch(f[1], f[2])
	case f[0] == "ksyms" && len(f) == 2:
		return Ksyms(f[1])
	}
	return "", fmt.Errorf("bad request %q", req)
}
