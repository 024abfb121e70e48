// Package ksym is the kernel's symbol table: the ELF32 .symtab and .strtab of the
// kernel image (handed over by the boot loader) plus the exported symbols of loaded
// modules.
//
// It answers three questions:
//
//   - name → symbol (Lookup), accepting full Go names ("gojos/kern/kpatch.kpatch_test1"),
//     short names ("kpatch_test1": the part after the last '.' of a Go name, or a C
//     name) when they are unique, and "module:name" for a module's symbol;
//   - address → symbol+offset (Addr), for tracebacks and disassembly;
//   - the whole table in Linux /proc/kallsyms format (WriteKallsyms).
//
// The package is pure computation on bytes: it builds for the host and for
// linux/386, and every malformed input is an error value, never a panic.
// A Table is safe for concurrent use.
package ksym

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
)

// Kind classifies a symbol.
type Kind uint8

// Symbol kinds.
const (
	Other Kind = iota // anything that is neither code nor data (absolute values, markers)
	Func              // code: STT_FUNC, or an untyped symbol in an executable section
	Data              // data: STT_OBJECT, or an untyped symbol in another allocated section
)

func (k Kind) String() string {
	switch k {
	case Func:
		return "func"
	case Data:
		return "data"
	}
	return "other"
}

// Sym is one symbol.
type Sym struct {
	Name   string
	Addr   uint32
	Size   uint32 // st_size; 0 if the object file did not record one
	Kind   Kind
	Global bool   // STB_GLOBAL or STB_WEAK
	Letter byte   // nm/kallsyms type letter ('T', 't', 'D', 'R', 'B', ...)
	Module string // "" for the kernel, else the module that defined it
}

// String is "name" for kernel symbols and "name [module]" for module symbols.
func (s Sym) String() string {
	if s.Module != "" {
		return s.Name + " [" + s.Module + "]"
	}
	return s.Name
}

// Section describes one section of the ELF file the symbols came from; Parse uses
// it (indexed by st_shndx) to classify untyped symbols and to pick kallsyms letters.
type Section struct {
	Name  string
	Type  uint32 // sh_type
	Flags uint32 // sh_flags
	Addr  uint32
	Size  uint32
}

// ELF constants used here (System V ABI, ELF32).
const (
	shfWrite     = 0x1
	shfAlloc     = 0x2
	shfExecInstr = 0x4
	shtNobits    = 8

	sttNotype  = 0
	sttObject  = 1
	sttFunc    = 2
	sttSection = 3
	sttFile    = 4
	sttTLS     = 6

	stbLocal = 0
	stbWeak  = 2

	shnUndef     = 0
	shnLoReserve = 0xff00
	shnAbs       = 0xfff1
	shnCommon    = 0xfff2

	symEntSize  = 16
	shdrEntSize = 40
)

// ErrNotFound is returned (wrapped in a *NotFoundError) when no symbol matches.
var ErrNotFound = errors.New("symbol not found")

// NotFoundError reports a name with no matching symbol.
type NotFoundError struct{ Name string }

func (e *NotFoundError) Error() string { return "symbol not found: " + e.Name }

// Unwrap makes errors.Is(err, ErrNotFound) work.
func (e *NotFoundError) Unwrap() error { return ErrNotFound }

// ErrAmbiguous reports a short name that matches more than one symbol.
type ErrAmbiguous struct {
	Name       string
	Candidates []Sym
}

func (e *ErrAmbiguous) Error() string {
	names := make([]string, len(e.Candidates))
	for i, c := range e.Candidates {
		names[i] = c.String()
	}
	return fmt.Sprintf("ambiguous symbol %q: %d candidates: %s", e.Name, len(names), strings.Join(names, ", "))
}

// Table is a symbol table: the kernel's symbols plus those of loaded modules.
type Table struct {
	mu      sync.RWMutex
	kernel  []Sym
	modules map[string][]Sym
	order   []string // module names in load order, for kallsyms

	// The indexes (index.go), built at the first lookup after Parse or
	// RemoveModule (stale says they must be), extended in place by
	// AddModule.
	stale  bool
	all    []Sym     // kernel followed by modules in load order
	full   hashIndex // full name → indices into all
	short  hashIndex // short name (where it differs) → indices into all
	byAddr []int32   // indices of Func and Data symbols, sorted by address

	gen atomic.Uint64 // Gen
}

// Gen changes whenever the set of symbols does (AddModule, RemoveModule):
// what a caller resolved while Gen had one value still holds while it has.
func (t *Table) Gen() uint64 { return t.gen.Load() }

// Parse builds a Table from the raw bytes of an ELF32 little-endian .symtab and its
// string table. sections may be nil; when given (indexed like the ELF section
// headers) it classifies untyped symbols and chooses kallsyms letters.
//
// Null, file, section, TLS and undefined entries are dropped, as are symbols with
// empty names.
func Parse(symtab, strtab []byte, sections []Section) (*Table, error) {
	if len(symtab)%symEntSize != 0 {
		return nil, fmt.Errorf("ksym: .symtab size %d is not a multiple of %d", len(symtab), symEntSize)
	}
	n := len(symtab) / symEntSize
	syms := make([]Sym, 0, n)
	// Names are substrings of one copy of the string table: converting
	// thousands of them one by one was most of the boot's symbol work.
	strs := string(strtab)
	for i := 0; i < n; i++ {
		e := symtab[i*symEntSize : (i+1)*symEntSize]
		nameOff := binary.LittleEndian.Uint32(e[0:])
		value := binary.LittleEndian.Uint32(e[4:])
		size := binary.LittleEndian.Uint32(e[8:])
		info := e[12]
		shndx := binary.LittleEndian.Uint16(e[14:])
		typ, bind := info&0xf, info>>4
		if i == 0 || shndx == shnUndef || typ == sttFile || typ == sttSection || typ == sttTLS {
			continue
		}
		name, err := cstringIn(strs, nameOff)
		if err != nil {
			return nil, fmt.Errorf("ksym: symbol %d: %v", i, err)
		}
		if name == "" {
			continue
		}
		var sec *Section
		if shndx < shnLoReserve {
			if sections != nil {
				if int(shndx) >= len(sections) {
					return nil, fmt.Errorf("ksym: symbol %d (%s): section index %d out of range (%d sections)", i, name, shndx, len(sections))
				}
				sec = &sections[shndx]
			}
		} else if shndx != shnAbs && shndx != shnCommon {
			continue // other reserved indices carry no address we can use
		}
		s := Sym{Name: name, Addr: value, Size: size, Global: bind != stbLocal}
		s.Kind, s.Letter = classify(typ, bind, shndx, sec)
		syms = append(syms, s)
	}
	return &Table{kernel: syms, modules: map[string][]Sym{}, stale: true}, nil
}

// classify picks the Kind and the nm letter of a symbol.
func classify(typ, bind uint8, shndx uint16, sec *Section) (Kind, byte) {
	var kind Kind
	var letter byte
	switch {
	case shndx == shnAbs:
		kind, letter = Other, 'a'
	case shndx == shnCommon:
		kind, letter = Data, 'c'
	case typ == sttFunc:
		kind, letter = Func, 't'
	case typ == sttObject:
		kind, letter = Data, 'd'
	case sec != nil && sec.Flags&shfExecInstr != 0:
		kind, letter = Func, 't'
	case sec != nil && sec.Flags&shfAlloc != 0:
		kind, letter = Data, 'd'
	case typ == sttNotype:
		kind, letter = Other, 'n'
	default:
		kind, letter = Other, '?'
	}
	if sec != nil && kind == Data && shndx != shnCommon {
		switch {
		case sec.Type == shtNobits:
			letter = 'b'
		case sec.Flags&shfWrite == 0:
			letter = 'r'
		}
	}
	if bind == stbWeak {
		if kind == Data {
			return kind, 'V'
		}
		return kind, 'W'
	}
	if bind != stbLocal && letter >= 'a' && letter <= 'z' {
		letter -= 'a' - 'A'
	}
	return kind, letter
}

// ParseSections decodes an ELF32 section header table (e_shnum entries of
// shentsize bytes, as the boot loader copies it) and its section name string table.
func ParseSections(shdrs []byte, shentsize int, shstrtab []byte) ([]Section, error) {
	if shentsize < shdrEntSize {
		return nil, fmt.Errorf("ksym: section header size %d, want at least %d", shentsize, shdrEntSize)
	}
	if len(shdrs)%shentsize != 0 {
		return nil, fmt.Errorf("ksym: section header table size %d is not a multiple of %d", len(shdrs), shentsize)
	}
	n := len(shdrs) / shentsize
	out := make([]Section, n)
	strs := string(shstrtab)
	for i := range out {
		h := shdrs[i*shentsize:]
		name, err := cstringIn(strs, binary.LittleEndian.Uint32(h[0:]))
		if err != nil {
			return nil, fmt.Errorf("ksym: section %d: %v", i, err)
		}
		out[i] = Section{
			Name:  name,
			Type:  binary.LittleEndian.Uint32(h[4:]),
			Flags: binary.LittleEndian.Uint32(h[8:]),
			Addr:  binary.LittleEndian.Uint32(h[12:]),
			Size:  binary.LittleEndian.Uint32(h[20:]),
		}
	}
	return out, nil
}

// cstringIn returns the NUL-terminated string at off in tab, as a substring
// of it.
func cstringIn(tab string, off uint32) (string, error) {
	if uint64(off) >= uint64(len(tab)) {
		if off == 0 && len(tab) == 0 {
			return "", nil
		}
		return "", fmt.Errorf("name offset %#x outside the %d-byte string table", off, len(tab))
	}
	end := strings.IndexByte(tab[off:], 0)
	if end < 0 {
		return "", fmt.Errorf("name at offset %#x is not NUL-terminated", off)
	}
	return tab[off : int(off)+end], nil
}

// ShortName is the part of a Go symbol name after its last '.' that is not inside
// brackets (so "slices.Sort[go.shape.int]" gives "Sort[go.shape.int]"); for a name
// without a dot (a C symbol) it is the name itself.
func ShortName(name string) string {
	if strings.IndexByte(name, '[') < 0 { // no brackets: the part after the last dot
		i := strings.LastIndexByte(name, '.')
		if i < 0 || i == len(name)-1 {
			return name
		}
		return name[i+1:]
	}
	depth := 0
	cut := -1
	for i := 0; i < len(name); i++ {
		switch name[i] {
		case '[':
			depth++
		case ']':
			if depth > 0 {
				depth--
			}
		case '.':
			if depth == 0 {
				cut = i
			}
		}
	}
	if cut < 0 || cut == len(name)-1 {
		return name
	}
	return name[cut+1:]
}

// AddModule adds the symbols a module exports. Their Module field is set to name.
// Adding a module name that is already present is an error.
func (t *Table) AddModule(name string, syms []Sym) error {
	if name == "" {
		return errors.New("ksym: empty module name")
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.modules == nil {
		t.modules = map[string][]Sym{}
	}
	if _, dup := t.modules[name]; dup {
		return fmt.Errorf("ksym: module %s already has symbols", name)
	}
	cp := make([]Sym, len(syms))
	for i, s := range syms {
		s.Module = name
		if s.Letter == 0 {
			s.Letter = defaultLetter(s)
		}
		cp[i] = s
	}
	t.modules[name] = cp
	t.order = append(t.order, name)
	t.gen.Add(1)
	if !t.stale {
		t.extend(cp)
	}
	return nil
}

func defaultLetter(s Sym) byte {
	l := byte('d')
	switch s.Kind {
	case Func:
		l = 't'
	case Other:
		l = 'a'
	}
	if s.Global {
		l -= 'a' - 'A'
	}
	return l
}

// RemoveModule drops a module's symbols; it reports whether the module was present.
func (t *Table) RemoveModule(name string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.modules[name]; !ok {
		return false
	}
	syms := t.modules[name]
	delete(t.modules, name)
	t.gen.Add(1)
	last := t.order[len(t.order)-1] == name
	for i, m := range t.order {
		if m == name {
			t.order = append(t.order[:i], t.order[i+1:]...)
			break
		}
	}
	if last && !t.stale {
		t.truncate(len(t.all) - len(syms)) // the latest module: its symbols are the last
	} else {
		t.stale = true
	}
	return true
}

// Len is the number of symbols (kernel and modules).
func (t *Table) Len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	n := len(t.kernel)
	for _, m := range t.modules {
		n += len(m)
	}
	return n
}
