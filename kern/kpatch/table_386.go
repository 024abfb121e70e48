package kpatch

import (
	"crypto/sha256"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"time"
	"unsafe"

	"gojos/kern/functab"
	"gojos/kern/ksym"
)

// The kernel's function table, loaded at the first request that needs it
// (boot stays as lean as before) and verified (the cross-check below runs
// per function at its first patch or call, and over the whole table at the
// first request that reads all of it):
//
//   - its ImageHash must be this kernel's: the hash mkimage stamped into it
//     (stamp.go), or for an unstamped kernel SHA-256 of the running
//     kernel's .text then .gopclntab, with the original bytes in place of
//     any patch (the table is bound to this very build: rules_go redacts
//     the Go build ID);
//   - every function must be where the runtime's own function table
//     (runtime.FuncForPC) and the kernel's symbol table put it: same entry,
//     same name, and its last byte still inside it.
//
// Until it loads, Go functions can be neither patched nor called; module
// functions can.

// Hooks set by the kernel (kern/kmain) before the first request.
var (
	// ReadTable returns the function table file (/boot/functab).
	ReadTable func() ([]byte, error)
	// Sections are the kernel's ELF section headers, from the boot loader.
	Sections []ksym.Section
)

// TablePath is where the kernel finds its function table.
const TablePath = "/boot/functab"

var tab struct {
	loaded bool
	t      *functab.Table
	err    error
	size   int
	took   time.Duration
	// checked: every function has been cross-checked (crossCheck), and
	// err holds the verdict. funcs holds goFunc's answers by entry: each
	// looked up and cross-checked (alone at its first use, or with the
	// whole table).
	checked bool
	funcs   map[uint32]*functab.Func
}

// table returns the verified function table, loading it on first use and
// cross-checking every function: for the requests that read the whole
// table (summaries, livepatch modules, the switch self-test). The caller
// holds mu.
func table() (*functab.Table, error) {
	t, err := loadedTable()
	if err != nil {
		return nil, err
	}
	if !tab.checked {
		start := time.Now()
		tab.checked = true
		if err := crossCheck(t); err != nil {
			tab.err = fmt.Errorf("%s disagrees with the running kernel: %v", TablePath, err)
		}
		tab.took += time.Since(start)
		if tab.err != nil {
			return nil, fmt.Errorf("the kernel's function table is unavailable: %v", tab.err)
		}
	}
	return t, nil
}

// Warm loads the function table and builds the symbol indexes ahead of the
// first request that needs them: the kernel calls it while the console
// waits for the user's first line, so that the first kcall or kpatch does
// not pay for them. A load error is kept for that request to report.
func Warm() {
	mu.Lock()
	loadedTable()
	mu.Unlock()
	if syms != nil {
		syms.Warm()
	}
}

// loadedTable returns the function table, loaded on first use and bound to
// this kernel by its image hash, but not cross-checked function by function
// (goFunc checks the functions it hands out). The caller holds mu.
func loadedTable() (*functab.Table, error) {
	if !tab.loaded {
		start := time.Now()
		tab.t, tab.err = loadTable()
		tab.took = time.Since(start)
		tab.loaded = true
		// No forced GC here: Decode allocates little besides what the
		// table keeps (its strings share one allocation, its parameters
		// a few arrays), and a full collection cost the first request
		// tens of milliseconds under emulation.
	}
	if tab.err != nil {
		return nil, fmt.Errorf("the kernel's function table is unavailable: %v", tab.err)
	}
	return tab.t, nil
}

// checked cross-checks f, a function of t, unless the whole table has
// been already (a patch or a call of one function checks that one, not the
// table's thousands), and remembers it for goFunc. The caller holds mu.
func checked(t *functab.Table, f *functab.Func) error {
	if !tab.checked {
		i := sort.Search(t.Len(), func(i int) bool { return t.Entry(i) >= f.Entry })
		if i == t.Len() || t.Entry(i) != f.Entry {
			return fmt.Errorf("%s (%#x) is not in the kernel's function table", f.Name, f.Entry)
		}
		if err := checkFunc(t, i); err != nil {
			return fmt.Errorf("%s disagrees with the running kernel: %v", TablePath, err)
		}
	}
	if tab.funcs == nil {
		tab.funcs = map[uint32]*functab.Func{}
	}
	tab.funcs[f.Entry] = f
	return nil
}

func loadTable() (*functab.Table, error) {
	if ReadTable == nil {
		return nil, fmt.Errorf("no way to read %s", TablePath)
	}
	data, err := ReadTable()
	if err != nil {
		return nil, fmt.Errorf("%s: %v", TablePath, err)
	}
	tab.size = len(data)
	t, err := functab.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", TablePath, err)
	}
	h, ok := stampedImageHash()
	if !ok {
		if h, err = imageHash(); err != nil {
			return nil, err
		}
	}
	if h != t.ImageHash {
		return nil, fmt.Errorf("%s belongs to another kernel build: its image hash is %x, this kernel's %x", TablePath, t.ImageHash[:8], h[:8])
	}
	return t, nil
}

// section returns the kernel's section called name.
func section(name string) (ksym.Section, error) {
	for _, s := range Sections {
		if s.Name == name {
			if s.Addr == 0 || s.Size == 0 {
				break
			}
			return s, nil
		}
	}
	return ksym.Section{}, fmt.Errorf("the kernel has no loaded %s section", name)
}

// imageHash computes elfbuild.HashImage over the kernel's own memory: .text
// with the original bytes of every patched entry, then .gopclntab.
func imageHash() ([32]byte, error) {
	text, err := section(".text")
	if err != nil {
		return [32]byte{}, err
	}
	pcln, err := section(".gopclntab")
	if err != nil {
		return [32]byte{}, err
	}
	type site struct {
		addr uint32
		orig []byte
	}
	var sites []site
	for _, target := range patches.Targets() {
		s := patches.Stack(target)
		sites = append(sites, site{target, s.Orig[:]})
	}
	sort.Slice(sites, func(i, j int) bool { return sites[i].addr < sites[j].addr })
	h := sha256.New()
	pos := text.Addr
	for _, s := range sites {
		if s.addr < pos || s.addr+uint32(len(s.orig)) > text.Addr+text.Size {
			continue
		}
		h.Write(mem(pos, s.addr-pos))
		h.Write(s.orig)
		pos = s.addr + uint32(len(s.orig))
	}
	h.Write(mem(pos, text.Addr+text.Size-pos))
	h.Write(mem(pcln.Addr, pcln.Size))
	var sum [32]byte
	h.Sum(sum[:0])
	return sum, nil
}

// mem is n bytes of kernel memory at addr, in place.
func mem(addr, n uint32) []byte {
	if n == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(uintptr(addr))), n)
}

// runtimeFunc is the runtime's function whose code holds pc: its name and
// entry. FuncForPC would name the innermost function inlined at pc (the
// code at an entry may be attributed to an inlined callee). CallersFrames
// expands inlining into virtual frames, the function itself last — but only
// while more PCs follow, so a 0 (no function: skipped) follows pc.
func runtimeFunc(pc uint32) (string, uint32) {
	frames := runtime.CallersFrames([]uintptr{uintptr(pc) + 1, 0}) // pc+1: a return address, looked up at pc
	var last runtime.Frame
	for {
		fr, more := frames.Next()
		if fr.Entry != 0 {
			last = fr
		}
		if !more {
			return last.Function, uint32(last.Entry)
		}
	}
}

// printName is a function name as the runtime prints it: everything from
// the first '[' to the last ']' elided to "[...]".
func printName(name string) string {
	i, j := strings.IndexByte(name, '['), strings.LastIndexByte(name, ']')
	if i < 0 || j < i {
		return name
	}
	return name[:i] + "[...]" + name[j+1:]
}

// crossCheck confirms each function of t against the runtime's function
// table and the symbol table: its entry, its name, and that its last byte
// belongs to it.
func crossCheck(t *functab.Table) error {
	var bad []string
	for i := 0; i < t.Len(); i++ {
		if err := checkFunc(t, i); err != nil {
			bad = append(bad, err.Error())
		}
	}
	if len(bad) > 0 {
		if len(bad) > 3 {
			bad = append(bad[:3], fmt.Sprintf("and %d more", len(bad)-3))
		}
		return fmt.Errorf("%d functions: %s", len(bad), strings.Join(bad, "; "))
	}
	return nil
}

// checkFunc cross-checks function i of t.
func checkFunc(t *functab.Table, i int) error {
	f, err := t.Func(i)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(f.Name, "go:") { // linker markers (go:textfipsstart) are no functions to the runtime
		name, entry := runtimeFunc(f.Entry)
		// The runtime prints names with type arguments elided ("[...]")
		// and spells some generated names with "·" where .symtab has ".";
		// and the name of the text's first function is at offset 0 of the
		// runtime's name table, which the runtime reads as no name.
		want := printName(f.Name)
		if name == "" && i == 0 {
			name = want
		}
		if strings.ReplaceAll(name, "·", ".") != want || entry != f.Entry {
			return fmt.Errorf("%s at %#x: the runtime has %q at %#x there", f.Name, f.Entry, name, entry)
		}
		if start := runtime.FuncForPC(uintptr(f.Entry)); start == nil || start.Entry() != uintptr(f.Entry) {
			return fmt.Errorf("%s at %#x: the runtime has no function starting there", f.Name, f.Entry)
		}
		if end := runtime.FuncForPC(uintptr(f.Entry + f.Size - 1)); end == nil || end.Entry() != uintptr(f.Entry) {
			return fmt.Errorf("%s at %#x: its last byte (+%#x) is not in it for the runtime", f.Name, f.Entry, f.Size-1)
		}
	}
	s, off, ok := syms.Addr(f.Entry)
	if !ok || off != 0 || s.Name != f.Name || s.Size != f.Size {
		return fmt.Errorf("%s at %#x (%d bytes): the symbol table has %s (%d bytes)", f.Name, f.Entry, f.Size, syms.FormatAddr(f.Entry), s.Size)
	}
	return nil
}
