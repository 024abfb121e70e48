package module

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"syscall"
	"unsafe"

	"gojos/kern/kabi"
	"gojos/kern/ksym"
	"gojos/kern/module/elfrel"
)

// Module is a loaded module.
type Module struct {
	Name    string
	Size    uint32
	Exports []elfrel.Export
	Deps    []*Module
	refs    int // modules depending on this one
	regions [elfrel.NumRegions][]byte
	bases   [elfrel.NumRegions]uint32
	exit    uint32
	faults  int // calls into the module that faulted (contained)
	// unsigned: loaded without a trusted signature (SigEnforce off)
	unsigned bool
	// Livepatch is a livepatch module's patch table (section
	// .gojos.livepatch); nil for other modules. kern/kpatch applies it.
	Livepatch []byte
}

// Text returns the module's text range [lo, hi).
func (m *Module) Text() (lo, hi uint32) {
	t := m.regions[elfrel.Text]
	return m.bases[elfrel.Text], m.bases[elfrel.Text] + uint32(len(t))
}

// Contains reports whether addr lies in any of the module's memory.
func (m *Module) Contains(addr uint32) bool {
	for r, b := range m.regions {
		if len(b) > 0 && addr >= m.bases[r] && addr < m.bases[r]+uint32(len(b)) {
			return true
		}
	}
	return false
}

var (
	mu      sync.Mutex
	modules []*Module
	// Syms, when set, receives each module's symbols (for lookups and
	// /proc/kallsyms) and loses them at unload.
	Syms *ksym.Table
	// BeforeUnload, when set, may refuse an unload (live patching refuses
	// while a patched function still jumps into the module).
	BeforeUnload func(m *Module) error
	// CheckImage, when set, may refuse a module after its ELF is checked
	// and laid out, before any of its code runs (live patching checks a
	// livepatch module's patch table against the running kernel). It is
	// called without the module list's lock, and may return symbols the
	// module's undefined references resolve to (the original stubs of a
	// livepatch module's KPATCH_ORIGINAL calls).
	CheckImage func(name string, img *elfrel.Image) (map[string]uint32, error)
)

// ErrExist is returned when a module of the same name is loaded.
var ErrExist = errors.New("module already loaded")

// Load checks the signature of the module in data (sig.go), then links and
// initialises it; fileName (finit_module's file, "" for init_module) names it
// when its .modinfo has no name=.
func Load(data []byte, fileName string) (*Module, error) {
	data, unsigned, err := checkSignature(data)
	if err != nil {
		return nil, err
	}
	obj, err := elfrel.Parse(data)
	if err != nil {
		return nil, refusal(err)
	}
	img, err := elfrel.Layout(obj)
	if err != nil {
		return nil, refusal(err)
	}
	name, err := img.ModuleName(fileName)
	if err != nil {
		return nil, refusal(err)
	}
	var extra map[string]uint32
	if CheckImage != nil {
		if extra, err = CheckImage(name, img); err != nil {
			return nil, err
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if find(name) != nil {
		return nil, fmt.Errorf("%s: %w", name, syscall.EEXIST)
	}
	m := &Module{Name: name, Livepatch: img.Livepatch}
	ok := false
	defer func() {
		if !ok {
			m.free()
		}
	}()
	for r := range img.Regions {
		ri := img.Regions[r]
		if len(ri.Bytes) == 0 {
			continue
		}
		size := (len(ri.Bytes) + 4095) &^ 4095
		b, err := mapRegion(size)
		if err != nil {
			return nil, fmt.Errorf("module memory: %v", err)
		}
		m.regions[r] = b
		m.bases[r] = uint32(uintptr(unsafe.Pointer(&b[0])))
		m.Size += uint32(size)
	}
	exports := kabi.Exports()
	deps := map[*Module]bool{}
	resolve := func(sym string) (uint32, error) {
		if a, ok := extra[sym]; ok {
			return a, nil
		}
		if a, ok := exports[sym]; ok {
			return a, nil
		}
		for _, o := range modules {
			for _, e := range o.Exports {
				if e.Name == sym && !e.Weak {
					deps[o] = true
					return e.Addr, nil
				}
			}
		}
		return 0, fmt.Errorf("undefined symbol: %s (not in the kernel's export table or any loaded module)", sym)
	}
	if err := elfrel.Relocate(img, m.bases, resolve); err != nil {
		return nil, refusal(err)
	}
	for r := range img.Regions {
		copy(m.regions[r], img.Regions[r].Bytes)
	}
	if b := m.regions[elfrel.Text]; len(b) > 0 {
		if err := syscall.Mprotect(b, syscall.PROT_READ|syscall.PROT_EXEC); err != nil {
			return nil, err
		}
	}
	if b := m.regions[elfrel.Rodata]; len(b) > 0 {
		if err := syscall.Mprotect(b, syscall.PROT_READ); err != nil {
			return nil, err
		}
	}
	m.Exports = elfrel.Exports(img)
	m.exit, _ = img.Exit()
	if unsigned {
		// Its code is about to run: taint first, as Linux does.
		m.unsigned = true
		taintUnsigned(name)
	}
	if init, has := img.Init(); has {
		r, err := m.call(init, "init_module")
		if err != nil {
			return nil, fmt.Errorf("%v; module not loaded", err)
		}
		if r != 0 {
			return nil, fmt.Errorf("%s: init_module returned %d", name, r)
		}
	}
	for d := range deps {
		d.refs++
		m.Deps = append(m.Deps, d)
	}
	modules = append(modules, m)
	if Syms != nil {
		var syms []ksym.Sym
		for _, e := range m.Exports {
			k := ksym.Data
			if e.Func {
				k = ksym.Func
			}
			syms = append(syms, ksym.Sym{Name: e.Name, Addr: e.Addr, Size: e.Size, Kind: k, Global: true})
		}
		Syms.AddModule(name, syms)
	}
	ok = true
	return m, nil
}

func find(name string) *Module {
	for _, m := range modules {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// Find returns the loaded module called name.
func Find(name string) *Module {
	mu.Lock()
	defer mu.Unlock()
	return find(name)
}

// Containing returns the module whose memory holds addr.
func Containing(addr uint32) *Module {
	mu.Lock()
	defer mu.Unlock()
	for _, m := range modules {
		if m.Contains(addr) {
			return m
		}
	}
	return nil
}

// Unload runs the module's exit function and frees it.
func Unload(name string) error {
	mu.Lock()
	defer mu.Unlock()
	m := find(name)
	if m == nil {
		return fmt.Errorf("%s: no such module: %w", name, syscall.ENOENT)
	}
	if m.refs > 0 {
		var users []string
		for _, o := range modules {
			for _, d := range o.Deps {
				if d == m {
					users = append(users, o.Name)
				}
			}
		}
		return fmt.Errorf("%s is in use by %s: %w", name, strings.Join(users, ", "), syscall.EBUSY)
	}
	if m.exit == 0 && m.Livepatch == nil { // a livepatch module's patches are its state; they are reverted first
		return fmt.Errorf("%s has no exit function (module_exit) and cannot be unloaded: %w", name, syscall.EBUSY)
	}
	if BeforeUnload != nil {
		if err := BeforeUnload(m); err != nil {
			return err
		}
	}
	if _, err := m.call(m.exit, "cleanup_module"); err != nil {
		fmt.Printf("gojos: %v; module removed anyway\n", err)
	}
	for _, d := range m.Deps {
		d.refs--
	}
	for i, o := range modules {
		if o == m {
			modules = append(modules[:i], modules[i+1:]...)
			break
		}
	}
	if Syms != nil {
		Syms.RemoveModule(name)
	}
	m.free()
	return nil
}

// Call runs the C function of m at fn (int fn(void); what names it in
// messages) with faults contained, as init and exit are run: a fault is an
// error, the module is marked faulted and the kernel tainted.
func Call(m *Module, fn uint32, what string) (int32, error) {
	mu.Lock()
	defer mu.Unlock()
	return m.call(fn, what)
}

// Lookup returns the address of the global function of m called name.
func (m *Module) Lookup(name string) (uint32, bool) {
	for _, e := range m.Exports {
		if e.Name == name && e.Func {
			return e.Addr, true
		}
	}
	return 0, false
}

func (m *Module) free() {
	for r, b := range m.regions {
		if b != nil {
			unmapRegion(b)
			m.regions[r] = nil
		}
	}
}

// ProcModules renders /proc/modules in the Linux format:
// name size refcount deps state address.
func ProcModules() []byte {
	mu.Lock()
	defer mu.Unlock()
	ms := append([]*Module(nil), modules...)
	sort.Slice(ms, func(i, j int) bool { return ms[i].Name < ms[j].Name })
	var b strings.Builder
	for _, m := range ms {
		deps := "-"
		if len(m.Deps) > 0 {
			var ds []string
			for _, d := range m.Deps {
				ds = append(ds, d.Name)
			}
			deps = strings.Join(ds, ",") + ","
		}
		fmt.Fprintf(&b, "%s %d %d %s Live 0x%08x%s\n", m.Name, m.Size, m.refs, deps, m.bases[elfrel.Text], m.moduleTaints())
	}
	return []byte(b.String())
}
