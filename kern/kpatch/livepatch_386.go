package kpatch

import (
	"errors"
	"fmt"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"gojos/kern/functab"
	"gojos/kern/kabi"
	"gojos/kern/kpatch/livepatch"
	"gojos/kern/kpatch/plan"
	"gojos/kern/module"
	"gojos/kern/module/elfrel"
)

// Livepatch modules (kern/kpatch/livepatch has the table; docs/design.md,
// "Livepatch modules"). Loading one (insmod, kpatch load) checks its patch
// table before any of its code runs (VetImage, module.CheckImage): the
// build id must be this kernel's, every entry must pass the rules again.
// Once the module is loaded and its init has run, enable switches every
// function at once: pre_patch, the consistency check, one critical section
// writing all entries (switch_386.go), post_patch. Unloading (rmmod,
// kpatch unload) reverts them all the same way. A module built with
// replace = True takes over every earlier livepatch module in its own
// switch: their patches are removed and its own added in one write.

// lpState is a livepatch module's state.
type lpState int

const (
	lpEnabled  lpState = iota // its patches are in effect
	lpReplaced                // an atomic replace took its patches over
	lpDisabled                // its patches were reverted; the module could not be removed
)

func (s lpState) String() string {
	return [...]string{"enabled", "replaced", "disabled"}[s]
}

// Callbacks, by the symbols gojos/module.h's KLP_* macros emit.
const (
	cbPrePatch = iota
	cbPostPatch
	cbPreUnpatch
	cbPostUnpatch
	numCallbacks
)

var cbSymbols = [numCallbacks]string{"livepatch_pre_patch", "livepatch_post_patch", "livepatch_pre_unpatch", "livepatch_post_unpatch"}

// lpFunc is one function of a livepatch module.
type lpFunc struct {
	target function
	repl   function
	dest   uint32 // the Go→C stub the target jumps to
	sig    string
}

// lpModule is a loaded livepatch module.
type lpModule struct {
	name   string
	m      *module.Module
	table  *livepatch.Table
	funcs  []lpFunc
	state  lpState
	cb     [numCallbacks]uint32
	took   time.Duration // loading the table, checks and the switch
	checks int           // consistency checks made for the switch
	byWhom string        // the module that replaced it
}

var lp struct {
	// mu serialises livepatch loads, unloads and replaces; it is taken
	// before mu (and before the module list's lock).
	mu   sync.Mutex
	mods []*lpModule // loaded livepatch modules, in load order
	last string      // what the newest load switched (kpatch load prints it)
}

// lpRefusal names the module in a refusal; one that is not EBUSY or ELOOP
// (a table that does not fit this kernel) is ENOEXEC.
func lpRefusal(name string, err error) error {
	if errors.Is(err, syscall.EBUSY) || errors.Is(err, syscall.ELOOP) {
		return fmt.Errorf("livepatch %s: %w", name, err)
	}
	return fmt.Errorf("livepatch %s: %v: %w", name, err, syscall.ENOEXEC)
}

// VetImage is module.CheckImage: a livepatch module's table is checked
// against the running kernel before the module's code runs.
func VetImage(name string, img *elfrel.Image) (map[string]uint32, error) {
	var undefined []string
	for _, s := range img.Obj.Symbols[1:] {
		if s.Shndx == elfrel.SHN_UNDEF && s.Name != "" {
			undefined = append(undefined, s.Name)
		}
	}
	calls := livepatch.OriginalCalls(undefined)
	if img.Livepatch == nil {
		for repl := range calls {
			return nil, fmt.Errorf("%s: KPATCH_ORIGINAL(%s) in a module that is not a livepatch module (build it with gojos_livepatch): %w", name, repl, syscall.ENOEXEC)
		}
		return nil, nil
	}
	t, err := livepatch.Decode(img.Livepatch)
	if err != nil {
		return nil, lpRefusal(name, err)
	}
	mu.Lock()
	defer mu.Unlock()
	tab, err := table()
	if err != nil {
		return nil, lpRefusal(name, err)
	}
	if err := checkBuild(t, tab); err != nil {
		return nil, lpRefusal(name, err)
	}
	extra := map[string]uint32{}
	for _, e := range t.Entries {
		s, ok := img.Obj.Lookup(e.Repl)
		if !ok || s.Shndx == elfrel.SHN_UNDEF || s.Bind() != elfrel.STB_GLOBAL || s.Type() != elfrel.STT_FUNC {
			return nil, lpRefusal(name, fmt.Errorf("replacement %s for %s is not a global function defined in the module", e.Repl, e.Target))
		}
		c, err := livepatch.Check(tab, e, origCode, img.Protos[e.Repl])
		if err != nil {
			return nil, lpRefusal(name, err)
		}
		if sym, ok := calls[e.Repl]; ok {
			a, err := originalStub(c)
			if err != nil {
				return nil, lpRefusal(name, fmt.Errorf("KPATCH_ORIGINAL(%s): %v", e.Repl, err))
			}
			extra[sym] = a
			delete(calls, e.Repl)
		}
	}
	for repl := range calls {
		return nil, lpRefusal(name, fmt.Errorf("KPATCH_ORIGINAL(%s): %s replaces no function of the patch table", repl, repl))
	}
	return extra, nil
}

// origStubs are the original stubs by target (kabi/original_386.go), kept
// for good like the Go→C stubs.
var origStubs = map[string]uint32{}

// originalStub returns the stub C calls the original of c.Func through.
// The caller holds mu.
func originalStub(c *livepatch.Checked) (uint32, error) {
	f := c.Func
	if err := livepatch.CheckOriginal(f); err != nil {
		return 0, err
	}
	// The original runs without its stack check (plan.OriginalTrampoline:
	// a failed check would restart it at the patched entry), after
	// kabi.OrigHeadroom bytes of stack have been made room for: its frame
	// must fit.
	orig := unpatchedCode(f, plan.PrologueBytes)
	if frame, ok := plan.PrologueFrame(orig); ok && frame > kabi.OrigHeadroom {
		return 0, fmt.Errorf("KPATCH_ORIGINAL: %s has a %d-byte frame; calling the original supports at most %d", f.Name, frame, kabi.OrigHeadroom)
	}
	p, err := plan.New(plan.Func{Name: f.Name, Start: f.Entry, Size: f.Size}, f.Entry, orig, f.Entry+1)
	if err != nil {
		return 0, err
	}
	probe, err := plan.OriginalTrampoline(p, orig, 0)
	if err != nil {
		return 0, err
	}
	desc, err := kabi.OriginalStub(0, c.Bridge, f.ArgsSize, probe)
	if err != nil {
		return 0, err
	}
	key := fmt.Sprintf("%#x %x", f.Entry, desc[16:kabi.TrampolineOffset])
	if a, ok := origStubs[key]; ok {
		return a, nil
	}
	mem, err := syscall.Mmap(-1, 0, 4096, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return 0, fmt.Errorf("original stub: %v", err)
	}
	a := uint32(uintptr(unsafe.Pointer(&mem[0])))
	tramp, err := plan.OriginalTrampoline(p, orig, a+kabi.TrampolineOffset)
	var page []byte
	if err == nil {
		page, err = kabi.OriginalStub(a, c.Bridge, f.ArgsSize, tramp)
	}
	if err == nil {
		copy(mem, page)
		err = syscall.Mprotect(mem, syscall.PROT_READ|syscall.PROT_EXEC)
	}
	if err != nil {
		syscall.Munmap(mem)
		return 0, fmt.Errorf("original stub: %v", err)
	}
	origStubs[key] = a
	return a, nil
}

// checkBuild refuses a table made for another kernel build.
func checkBuild(t *livepatch.Table, tab *functab.Table) error {
	if t.BuildID != tab.ImageHash {
		return fmt.Errorf("built for kernel %s, this kernel is %s: refused (rebuild the module against this kernel)",
			livepatch.ShortID(t.BuildID), livepatch.ShortID(tab.ImageHash))
	}
	return nil
}

// origCode is the bytes at f's entry in the unpatched kernel (plan.MaxCode
// of them at most). The caller holds mu.
func origCode(f *functab.Func) []byte { return unpatchedCode(f, plan.MaxCode) }

// unpatchedCode is up to n bytes at f's entry as the unpatched kernel has
// them: memory, with the original bytes of a patched entry. The caller
// holds mu.
func unpatchedCode(f *functab.Func, n uint32) []byte {
	c := code(f.Entry, int(min(f.Size, n)))
	if s := patches.Stack(f.Entry); s != nil {
		copy(c, s.Orig[:])
	}
	return c
}

// LoadModule loads a module (init_module, finit_module, kpatch load); a
// livepatch module's table is then switched on, or the module removed
// again.
func LoadModule(data []byte, fileName string) (*module.Module, error) {
	lp.mu.Lock()
	defer lp.mu.Unlock()
	m, err := module.Load(data, fileName)
	if err != nil || m.Livepatch == nil {
		return m, err
	}
	if err := enable(m); err != nil {
		if uerr := module.Unload(m.Name); uerr != nil {
			fmt.Printf("gojos: livepatch %s: could not remove the module after a failed load: %v\n", m.Name, uerr)
		}
		return nil, err
	}
	return m, nil
}

// UnloadModule removes a module (delete_module, kpatch unload): a
// livepatch module's patches are reverted first, all at once.
func UnloadModule(name string) error {
	lp.mu.Lock()
	defer lp.mu.Unlock()
	lm := findLP(name)
	if lm == nil {
		return module.Unload(name)
	}
	if lm.state == lpEnabled {
		callback(lm, cbPreUnpatch)
		mu.Lock()
		_, err := switchSet(nil, lm.funcs)
		mu.Unlock()
		if err != nil {
			callback(lm, cbPostPatch) // still in effect
			return lpRefusal(name, fmt.Errorf("not reverted: %w", err))
		}
		lm.state = lpDisabled
		callback(lm, cbPostUnpatch)
	}
	if err := module.Unload(name); err != nil {
		return err
	}
	for i, o := range lp.mods {
		if o == lm {
			lp.mods = append(lp.mods[:i], lp.mods[i+1:]...)
			break
		}
	}
	return nil
}

func findLP(name string) *lpModule {
	for _, o := range lp.mods {
		if o.name == name {
			return o
		}
	}
	return nil
}

// callback runs one of lm's callbacks, if it has it; a fault is
// contained and reported.
func callback(lm *lpModule, which int) (int32, error) {
	if lm.cb[which] == 0 {
		return 0, nil
	}
	r, err := module.Call(lm.m, lm.cb[which], cbSymbols[which])
	if err != nil {
		fmt.Printf("gojos: livepatch %s: %v\n", lm.name, err)
	}
	return r, err
}

// enable switches a loaded livepatch module's table on. lp.mu is held.
func enable(m *module.Module) error {
	start := time.Now()
	t, err := livepatch.Decode(m.Livepatch)
	if err != nil {
		return lpRefusal(m.Name, err)
	}
	lm := &lpModule{name: m.Name, m: m, table: t}
	for i, s := range cbSymbols {
		lm.cb[i], _ = m.Lookup(s)
	}
	mu.Lock()
	err = prepare(lm)
	mu.Unlock()
	if err != nil {
		return lpRefusal(m.Name, err)
	}
	if r, err := callback(lm, cbPrePatch); err != nil || r != 0 {
		if err == nil {
			err = fmt.Errorf("pre_patch returned %d", r)
		}
		return fmt.Errorf("livepatch %s: pre_patch refused the load: %v; nothing patched: %w", m.Name, err, syscall.ECANCELED)
	}
	var replaced []*lpModule
	var del []lpFunc
	if t.Replaces() {
		for _, o := range lp.mods {
			if o.state == lpEnabled {
				replaced = append(replaced, o)
				del = append(del, o.funcs...)
			}
		}
	}
	for _, o := range replaced {
		callback(o, cbPreUnpatch)
	}
	mu.Lock()
	lm.checks, err = switchSet(lm.funcs, del)
	mu.Unlock()
	if err != nil {
		callback(lm, cbPostUnpatch)
		for _, o := range replaced {
			callback(o, cbPostPatch) // they stay in effect
		}
		return lpRefusal(m.Name, fmt.Errorf("not switched: %w", err))
	}
	lm.took = time.Since(start)
	callback(lm, cbPostPatch)
	for _, o := range replaced {
		o.state, o.byWhom = lpReplaced, lm.name
		callback(o, cbPostUnpatch)
	}
	lp.mods = append(lp.mods, lm)
	lp.last = fmt.Sprintf("livepatch %s: %d functions switched in %v (%d consistency checks)", lm.name, len(lm.funcs), lm.took.Round(time.Microsecond), lm.checks)
	if len(replaced) > 0 {
		lp.last += fmt.Sprintf("; replaced %s", names(replaced))
	}
	lp.last += "\n"
	return nil
}

func names(ms []*lpModule) string {
	s := ""
	for i, m := range ms {
		if i > 0 {
			s += ", "
		}
		s += m.name
	}
	return s
}

// prepare checks every entry again and makes its Go→C stub. mu is held.
func prepare(lm *lpModule) error {
	tab, err := table()
	if err != nil {
		return err
	}
	if err := checkBuild(lm.table, tab); err != nil {
		return err
	}
	for _, e := range lm.table.Entries {
		raddr, ok := lm.m.Lookup(e.Repl)
		if !ok {
			return fmt.Errorf("replacement %s for %s is not a global function of the module", e.Repl, e.Target)
		}
		r := function{name: e.Repl, addr: raddr, module: lm.m}
		for _, x := range lm.m.Exports {
			if x.Name == e.Repl {
				r.proto, r.size = x.Proto, x.Size
			}
		}
		c, err := livepatch.Check(tab, e, origCode, r.proto)
		if err != nil {
			return err
		}
		t := function{name: c.Func.Name, addr: c.Func.Entry, size: c.Func.Size}
		dest, err := cStub(c.Func, &r)
		if err != nil {
			return err
		}
		lm.funcs = append(lm.funcs, lpFunc{target: t, repl: r, dest: dest, sig: c.Func.TypeSignature()})
	}
	return nil
}

// switchSet removes the patches del and adds the patches add in one
// switch: the patch stacks are changed, the consistency check run on every
// target, and the entries whose bytes change written at once; on any
// failure the stacks are as before and no byte has changed. It returns the
// number of consistency checks. mu is held.
func switchSet(add, del []lpFunc) (int, error) {
	saved := patches.Clone()
	fail := func(err error) (int, error) {
		patches = saved
		return 0, err
	}
	before := map[uint32][plan.JumpLen]byte{} // memory now, by target
	quiet := map[string]bool{}
	note := func(f lpFunc) {
		if _, ok := before[f.target.addr]; !ok {
			var b [plan.JumpLen]byte
			copy(b[:], code(f.target.addr, plan.JumpLen))
			before[f.target.addr] = b
		}
		quiet[f.target.name] = true
	}
	var gone []lpFunc // del entries still on their stacks (a fault may have reverted some)
	for _, f := range del {
		note(f)
		if _, _, err := patches.Remove(f.target.addr, f.dest); err != nil {
			if errors.Is(err, plan.ErrNoPatch) {
				continue
			}
			return fail(namedCycle(err))
		}
		gone = append(gone, f)
	}
	for _, f := range add {
		note(f)
		c := entryCode(f.target.addr, f.target.size)
		if s := patches.Stack(f.target.addr); s != nil {
			cur := s.Current()
			copy(c, cur[:])
		} else if s := saved.Stack(f.target.addr); s != nil {
			copy(c, s.Orig[:])
		}
		p, err := plan.New(plan.Func{Name: f.target.name, Start: f.target.addr, Size: f.target.size}, f.target.addr, c, f.dest)
		if err != nil {
			return fail(err)
		}
		if _, err := patches.Push(p); err != nil {
			return fail(namedCycle(err))
		}
	}
	var ws []write
	for addr, old := range before {
		var now [plan.JumpLen]byte
		if s := patches.Stack(addr); s != nil {
			now = s.Current()
		} else {
			now = saved.Stack(addr).Orig
		}
		if now != old {
			ws = append(ws, write{addr: addr, new: now, old: old})
		}
	}
	for _, f := range add {
		pin(f.repl.module, useName(&patch{target: f.target, repl: f.repl}))
	}
	unpinAdds := func() {
		for _, f := range add {
			unpin(f.repl.module, useName(&patch{target: f.target, repl: f.repl}))
		}
	}
	checks, err := checkQuiet(quiet)
	if err == nil {
		err = pokeSet(ws)
	}
	if err != nil {
		unpinAdds()
		_, err2 := fail(err)
		return checks, err2
	}
	for _, f := range gone {
		forget(f.target.addr, f.dest)
	}
	for _, f := range add {
		key := [2]uint32{f.target.addr, f.dest}
		if active[key] == nil {
			active[key] = &patch{target: f.target, repl: f.repl, dest: f.dest}
		}
		active[key].n++
		active[key].owner = f.repl.module.Name
	}
	return checks, nil
}
