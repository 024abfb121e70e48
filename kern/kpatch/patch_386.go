package kpatch

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"syscall"
	"unsafe"

	"gojos/kern/abi/linux"
	"gojos/kern/functab"
	"gojos/kern/kabi"
	"gojos/kern/kabi/cproto"
	"gojos/kern/kpatch/plan"
	"gojos/kern/kpatch/rules"
	"gojos/kern/ksym"
	"gojos/kern/module"
)

var (
	mu      sync.Mutex
	syms    *ksym.Table
	patches plan.Set
	planner plan.Planner // kpatch's decodes of target entries
	// active describes the patches in effect, by (target, destination): the
	// destination is the replacement, or the stub of a C replacement. A
	// stack may hold the same pair more than once (a -> b, a -> c, a -> b).
	// A pair of kernel functions stays with n = 0 once unpatched (patching
	// it again allocates nothing); every reader skips those.
	active = map[[2]uint32]*patch{}
	// stubs are the Go→C stub pages by content (C function and bridge
	// descriptor). They are never unmapped (kabi/bridge_386.go).
	stubs = map[string]uint32{}
)

// patch is a patch in effect.
type patch struct {
	target, repl function
	dest         uint32 // repl.addr, or the stub a C replacement is entered through
	n            int    // how many times it is on target's stack
	owner        string // the livepatch module whose table holds it; "" for kpatch's

	// The answers kpatch gave for it, made at its first patch and unpatch:
	// a kernel pair's record is kept when it is off every stack, and so are
	// they (the same pair is patched again in a benchmark's loop, or by
	// someone switching a fix on and off).
	patched, unpatched string
}

// Init installs the symbol table and starts the fault watcher.
func Init(t *ksym.Table) {
	syms = t
	module.BeforeUnload = refuseUnloadWhilePatched
	module.CheckImage = VetImage
	go watchFaults()
}

func poke(addr uint32, b []byte) error {
	_, _, e := syscall.RawSyscall(linux.SYS_gojos_textpoke, uintptr(addr), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	if e != 0 {
		return fmt.Errorf("writing %d bytes at %#x: %v", len(b), addr, e)
	}
	return nil
}

// Patch redirects target to repl. force patches a function the compiler
// inlined somewhere (its inlined copies keep the old code).
func Patch(targetArg, replArg string, force bool) (string, error) {
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
	// Whole instructions covering the jump, inside the function: the entry
	// is decoded once, for the checks and for the patch itself.
	code := patchEntry(t.addr, t.size)
	planned, err := planner.New(plan.Func{Name: t.name, Start: t.addr, Size: t.size}, t.addr, code, r.addr)
	if err != nil {
		return "", err
	}
	tab, err := loadedTable() // goFunc cross-checks the functions it returns
	if err != nil {
		return "", err
	}
	tf, err := goFunc(t)
	if err != nil {
		return "", err
	}
	ref := static(tf)
	switch {
	case ref != nil:
	case tf.Size == t.size:
		ref = rules.Planned(tab, tf, planned, force)
	default:
		ref = rules.Target(tab, tf, code, force) // the table's extent, decoded again
	}
	if ref != nil {
		return "", fmt.Errorf("refused: %v", ref)
	}
	dest := r.addr
	via := ""
	if r.module != nil {
		if dest, err = cStub(tf, r); err != nil {
			return "", err
		}
		via = fmt.Sprintf(" via a Go→C bridge at %#x", dest)
	} else {
		rf, err := goFunc(r)
		if err != nil {
			return "", fmt.Errorf("replacement: %v", err)
		}
		if ref := static(rf); ref != nil {
			return "", fmt.Errorf("refused: replacement: %v", ref)
		}
		if err := rules.SameSignature(tf, rf, typeSignature); err != nil {
			return "", fmt.Errorf("refused: %v", err)
		}
	}
	use := ""
	if r.module != nil {
		use = useName(&patch{target: *t, repl: *r})
		pin(r.module, use)
		if module.Containing(r.addr) != r.module {
			unpin(r.module, use)
			return "", fmt.Errorf("replacement: %s: module %s was unloaded", r.name, r.module.Name)
		}
	}
	p := planned // planned for r.addr: another plan only for a C bridge's stub
	if dest != planned.Replacement {
		p, err = planned.To(dest)
	}
	if err == nil {
		var bytes [plan.JumpLen]byte
		if bytes, err = patches.Push(p); err != nil {
			err = namedCycle(err)
		} else if err = poke(t.addr, bytes[:]); err != nil {
			patches.Remove(t.addr, dest)
		}
	}
	if err != nil {
		if r.module != nil {
			unpin(r.module, use)
		}
		return "", err
	}
	key := [2]uint32{t.addr, dest}
	pt := active[key]
	if pt == nil {
		pt = &patch{}
		active[key] = pt
	}
	if pt.n == 0 && (pt.target.addr != t.addr || pt.repl.addr != r.addr || pt.repl.module != r.module || pt.owner != "") {
		*pt = patch{target: *t, repl: *r, dest: dest} // else: a kept record of this pair, as it was
	}
	pt.n++
	if pt.patched == "" {
		pt.patched = patchedLine(t.label, r.label, via, typeSignature(tf))
	}
	out := pt.patched
	if tf.Flags&functab.FlagInlined != 0 {
		out += fmt.Sprintf("forced: %s %s; those copies keep the old code\n", tf.Name, rules.InlinedInto(tab, tf))
	}
	return out, nil
}

// cStub checks a C replacement's prototype against the target's signature
// and returns the stub the target will jump to. The caller holds mu.
func cStub(tf *functab.Func, r *function) (uint32, error) {
	p, err := cproto.Parse(r.proto)
	if err != nil {
		return 0, fmt.Errorf("replacement %s: %v", short(r), err)
	}
	b, err := cproto.Match(tf.Params, tf.Results, p)
	if err != nil {
		return 0, fmt.Errorf("refused: signatures differ: %s is %s, %s is declared %s: %v", tf.Name, tf.TypeSignature(), short(r), p, err)
	}
	probe, err := kabi.BridgeStub(0, r.addr, b)
	if err != nil {
		return 0, err
	}
	key := string(probe[10:]) // the descriptor: the C function and the bridge program
	if a, ok := stubs[key]; ok {
		return a, nil
	}
	mem, err := syscall.Mmap(-1, 0, 4096, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return 0, fmt.Errorf("bridge stub: %v", err)
	}
	a := uint32(uintptr(unsafe.Pointer(&mem[0])))
	code, err := kabi.BridgeStub(a, r.addr, b)
	if err == nil {
		copy(mem, code)
		err = syscall.Mprotect(mem, syscall.PROT_READ|syscall.PROT_EXEC)
	}
	if err != nil {
		syscall.Munmap(mem)
		return 0, fmt.Errorf("bridge stub: %v", err)
	}
	stubs[key] = a
	return a, nil
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
	var dest uint32
	ok := false
	if s != nil {
		dest, ok = s.Newest()
	}
	if !ok {
		return "", fmt.Errorf("%s is not patched", short(t))
	}
	if replArg != "" {
		r, err := resolve(replArg)
		if err != nil {
			return "", fmt.Errorf("replacement: %v", err)
		}
		dest = r.addr
		for k, p := range active {
			if k[0] == t.addr && p.n > 0 && p.repl.addr == r.addr {
				dest = p.dest
			}
		}
	}
	p := active[[2]uint32{t.addr, dest}]
	if p != nil && p.n > 0 && p.owner != "" {
		return "", fmt.Errorf("the patch of %s to %s belongs to livepatch module %s: remove it with kpatch unload %s: %w",
			short(t), describe(t.addr, dest), p.owner, p.owner, syscall.EBUSY)
	}
	out := ""
	if p != nil && p.n > 0 {
		out = p.unpatched
	}
	if out == "" {
		out = unpatchedLine(short(t), describe(t.addr, dest))
		if p != nil && p.n > 0 {
			p.unpatched = out
		}
	}
	if err := remove(t.addr, dest); err != nil {
		return "", err
	}
	return out, nil
}

// remove takes the patch (target, dest) off its stack and writes what
// memory must hold then. The caller holds mu.
func remove(target, dest uint32) error {
	after, changed, err := patches.Remove(target, dest)
	if err != nil {
		return namedCycle(err)
	}
	if changed {
		if err := poke(target, after[:]); err != nil {
			return err
		}
	}
	forget(target, dest)
	return nil
}

// forget drops the record of one patch (target, dest) taken off its
// stack. The caller holds mu.
func forget(target, dest uint32) {
	key := [2]uint32{target, dest}
	if p := active[key]; p != nil {
		if p.repl.module != nil {
			unpin(p.repl.module, useName(p))
		}
		if p.n--; p.n <= 0 && p.repl.module != nil {
			delete(active, key) // the module may go: keep nothing of it
		} else if p.n <= 0 {
			p.n = 0
		}
	}
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

// describe names a patch's replacement (with its C prototype when C).
func describe(target, dest uint32) string {
	p, ok := active[[2]uint32{target, dest}]
	ok = ok && p.n > 0
	if ok && p.repl.module == nil && p.repl.addr == dest {
		return p.repl.name // what the symbol table would say at dest, looked up at patch time
	}
	if ok && p.repl.module != nil {
		owner := ""
		if p.owner != "" {
			owner = " (livepatch " + p.owner + ")"
		}
		return fmt.Sprintf("%s, C %s, via a Go→C bridge%s", syms.FormatAddr(p.repl.addr), p.repl.proto, owner)
	}
	return syms.FormatAddr(dest)
}

// List describes every patched function, its signature and its stack,
// oldest first.
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
			fmt.Fprintf(&b, "  %d: -> %s\n", i, describe(t, p.Replacement))
		}
		sig := ""
		for k, p := range active {
			if k[0] == t && p.n > 0 {
				sig = signature(&p.target)
			}
		}
		fmt.Fprintf(&b, "  signature: %s\n", sig)
	}
	return b.String()
}
