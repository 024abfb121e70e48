package functab

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Class says what the kernel can do with a value of a parameter's type.
type Class uint8

// The classes, by the type's Go kind (DW_AT_go_kind); ClassError is the
// predeclared interface type error itself, not types implementing it.
const (
	ClassOther   Class = iota // floats, complex, slices, maps, chans, funcs, interfaces, structs, arrays
	ClassInt                  // int, int8..int64 and named types of them (signed)
	ClassBool                 // bool and named booleans
	ClassString               // string and named strings
	ClassPointer              // *T and unsafe.Pointer
	ClassError                // error
	ClassUint                 // uint, uint8..uint64, uintptr and named types of them (unsigned)
	numClasses
)

var classNames = [numClasses]string{"other", "int", "bool", "string", "pointer", "error", "uint"}

// Integer reports whether the class is an integer type, signed or not.
func (c Class) Integer() bool { return c == ClassInt || c == ClassUint }

func (c Class) String() string {
	if c < numClasses {
		return classNames[c]
	}
	return "class(" + strconv.Itoa(int(c)) + ")"
}

// Type is a parameter's type.
type Type struct {
	Name  string // as the compiler names it in DWARF, e.g. *gojos/kern/ksym.Table
	Class Class
	Size  uint32 // bytes
	Align uint8  // ABI0 stack alignment on the table's architecture: 1, 2, 4 or 8
}

// Param is one parameter or result.
type Param struct {
	Name   string // "" when unnamed (DWARF's ~pN, ~rN)
	Type   Type
	Offset uint32 // in the argument frame: from 0(FP), the word above the return address
}

// Flags are facts about a function.
type Flags uint16

const (
	// FlagSig: Params and Results are the function's signature (a Go function
	// with DWARF). Without it they are empty and the signature is unknown.
	FlagSig Flags = 1 << iota
	// FlagAsm: written in assembly (DW_AT_decl_file ends in .s, or the
	// pclntab's FuncFlagAsm).
	FlagAsm
	// FlagNoSplit: the entry has no stack-check prologue (a //go:nosplit or
	// NOSPLIT function, or a small leaf the compiler left unchecked).
	FlagNoSplit
	// FlagWrapper: a compiler-generated wrapper (DW_AT_trampoline).
	FlagWrapper
	// FlagClosure: a function literal (name ends in .funcN, possibly nested):
	// it expects its closure context in DX.
	FlagClosure
	// FlagGeneric: a shape instantiation of a generic function or method:
	// its first parameter is the dictionary (closures inside it capture the
	// dictionary instead and do not have the flag).
	FlagGeneric
	// FlagPCArgs: PCArgs holds the pclntab's argument size.
	FlagPCArgs
	// FlagBadDWARF: DWARF's parameters do not add up to the pclntab's
	// argument size, so the signature was dropped (Go 1.26 omits the unnamed
	// results of functions with range-over-func loops and of their loop
	// bodies).
	FlagBadDWARF
	// FlagInlined: the compiler inlined the function somewhere: Inlined
	// lists callers, or DWARF has an abstract subprogram for it (which a
	// function inlined in its own package gets even where no instruction of
	// the inlined body survived to name the caller). A lower bound: a call
	// folded away entirely in another package leaves no trace.
	FlagInlined

	flagsAll = FlagInlined<<1 - 1
)

var flagNames = []string{"sig", "asm", "nosplit", "wrapper", "closure", "generic", "pcargs", "baddwarf", "inlined"}

func (f Flags) String() string {
	var s []string
	for i, n := range flagNames {
		if f&(1<<i) != 0 {
			s = append(s, n)
		}
	}
	if rest := f &^ flagsAll; rest != 0 {
		s = append(s, "0x"+strconv.FormatUint(uint64(rest), 16))
	}
	return strings.Join(s, ",")
}

// Site is a concrete function some function is inlined into.
type Site struct {
	Caller int // index of the containing function in Table.Funcs
	Count  int // inlined call sites of the function in it (nested inlining included)
}

// Func is one text function.
type Func struct {
	Name    string // as in .symtab, e.g. gojos/kern/ksym.(*Table).Lookup
	File    string // base name of the source file declaring it (DW_AT_decl_file), e.g. proc.go; "" if unknown
	Entry   uint32
	Size    uint32
	Flags   Flags
	Params  []Param // the receiver first; empty unless FlagSig
	Results []Param
	// ArgsSize is the 386 ABI0 argument frame (parameters and results): from
	// the types when FlagSig, else PCArgs when FlagPCArgs and not negative,
	// else 0.
	ArgsSize uint32
	// PCArgs is the runtime's _func.args for this entry when FlagPCArgs (for
	// assembly functions it may be ArgsSizeUnknown).
	PCArgs int32
	// Inlined lists the functions this one is inlined into, by caller
	// index: those DWARF knows of, where an instruction of the inlined body
	// remains (see FlagInlined).
	Inlined []Site
}

// regSize is the register and pointer size of 386, which the frames are
// laid out for.
const regSize = 4

// ArgsSizeUnknown is the pclntab's args value for assembly functions declared
// without an argument size.
const ArgsSizeUnknown = math.MinInt32

// Table is the function table of one kernel build.
//
// A table is made (elfbuild.Build, tests) by filling Funcs, or decoded
// (Decode), when its functions stay encoded and each is decoded at its
// first use. Len, Name, Entry, Func, ByName, ByAddr and Callers serve both
// kinds; only a table being made has Funcs.
type Table struct {
	// BuildID is the Go build ID (.note.go.buildid). Under Bazel it is the
	// constant "redacted"; ImageHash identifies the build.
	BuildID string
	// ImageHash is SHA-256 of the kernel's .text then .gopclntab
	// (elfbuild.HashImage).
	ImageHash [32]byte
	// Funcs are the functions of a table being made, sorted by Entry and
	// not overlapping; empty in a decoded table.
	Funcs []Func

	enc *encoded // a decoded table's functions

	mu     sync.Mutex     // guards enc.funcs and byName
	byName map[string]int // a made table's name index, built at its first lookup
}

// Len is the number of functions.
func (t *Table) Len() int {
	if t.enc != nil {
		return t.enc.n
	}
	return len(t.Funcs)
}

// Name is the name of function i (0 <= i < Len()), without decoding it.
func (t *Table) Name(i int) string {
	if t.enc != nil {
		return t.enc.name(i)
	}
	return t.Funcs[i].Name
}

// Entry is the entry address of function i, without decoding it.
func (t *Table) Entry(i int) uint32 {
	if t.enc != nil {
		return t.enc.entry(i)
	}
	return t.Funcs[i].Entry
}

// Func returns function i (0 <= i < Len()), decoding it at its first use:
// the error says what is wrong with its details in a damaged table. The
// same *Func is returned every time.
func (t *Table) Func(i int) (*Func, error) {
	if i < 0 || i >= t.Len() {
		return nil, fmt.Errorf("function index %d out of range (%d functions)", i, t.Len())
	}
	if t.enc == nil {
		return &t.Funcs[i], nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if f := t.enc.funcs[i]; f != nil {
		return f, nil
	}
	f, err := t.enc.decodeFunc(i)
	if err != nil {
		return nil, err
	}
	t.enc.funcs[i] = f
	return f, nil
}

// Check decodes every function, returning the first error: with Decode,
// every check the encoding allows.
func (t *Table) Check() error {
	for i := 0; i < t.Len(); i++ {
		if _, err := t.Func(i); err != nil {
			return err
		}
	}
	return nil
}

// Same reports the first difference between what t and u say — build id,
// image hash, each function — or nil: how a table is checked against its
// own encoding.
func (t *Table) Same(u *Table) error {
	if t.BuildID != u.BuildID || t.ImageHash != u.ImageHash {
		return fmt.Errorf("build id %q, image hash %x; the other has %q, %x", t.BuildID, t.ImageHash[:8], u.BuildID, u.ImageHash[:8])
	}
	if t.Len() != u.Len() {
		return fmt.Errorf("%d functions; the other has %d", t.Len(), u.Len())
	}
	for i := 0; i < t.Len(); i++ {
		f, err := t.Func(i)
		if err != nil {
			return err
		}
		g, err := u.Func(i)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(f, g) {
			return fmt.Errorf("function %d: %+v; the other has %+v", i, f, g)
		}
	}
	return nil
}

// ErrNotFound is wrapped by the errors of ByName and ByAddr for a function
// the table does not have.
var ErrNotFound = errors.New("not in the function table")

// Signature is the function's Go signature with parameter names, e.g.
// func(n int32, s string) (bool, error); "" without FlagSig.
func (f *Func) Signature() string { return f.signature(true) }

// TypeSignature is the signature without names, e.g. func(int32, string)
// (bool, error): what Hash is computed from. "" without FlagSig.
func (f *Func) TypeSignature() string { return f.signature(false) }

func (f *Func) signature(names bool) string {
	if f.Flags&FlagSig == 0 {
		return ""
	}
	var b strings.Builder
	writeSignature(&b, f, names)
	return b.String()
}

// sigWriter is what a signature is written to: a strings.Builder, or
// fnvWriter to hash it without building the string.
type sigWriter interface {
	WriteString(string) (int, error)
	WriteByte(byte) error
}

func writeSignature[W sigWriter](b W, f *Func, names bool) {
	b.WriteString("func(")
	writeList(b, f.Params, names)
	b.WriteByte(')')
	switch {
	case len(f.Results) == 0:
	case len(f.Results) == 1 && (!names || f.Results[0].Name == ""):
		b.WriteByte(' ')
		b.WriteString(f.Results[0].Type.Name)
	default:
		b.WriteString(" (")
		writeList(b, f.Results, names)
		b.WriteByte(')')
	}
}

// writeList writes "a T, b U" when names are wanted and any parameter has
// one (unnamed ones as _), else "T, U".
func writeList[W sigWriter](b W, ps []Param, names bool) {
	named := false
	for _, p := range ps {
		named = named || p.Name != ""
	}
	for i, p := range ps {
		if i > 0 {
			b.WriteString(", ")
		}
		if names && named {
			if p.Name == "" {
				b.WriteByte('_')
			} else {
				b.WriteString(p.Name)
			}
			b.WriteByte(' ')
		}
		b.WriteString(p.Type.Name)
	}
}

// SigHash is what Func.Hash returns: FNV-1a 64 of a types-only
// signature.
func SigHash(typeSig string) uint64 {
	h := fnvWriter{fnvOffset}
	h.WriteString(typeSig)
	return h.sum
}

// FNV-1a 64 parameters (the same as hash/fnv's New64a).
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// fnvWriter hashes what is written to it with FNV-1a 64: finish hashes
// thousands of signatures at a table's load, and building each as a string
// first was most of the load's allocations.
type fnvWriter struct{ sum uint64 }

func (h *fnvWriter) WriteString(s string) (int, error) {
	for i := 0; i < len(s); i++ {
		h.sum = (h.sum ^ uint64(s[i])) * fnvPrime
	}
	return len(s), nil
}

func (h *fnvWriter) WriteByte(c byte) error {
	h.sum = (h.sum ^ uint64(c)) * fnvPrime
	return nil
}

// Hash is SigHash(f.TypeSignature()), computed without building the
// string; 0 without FlagSig. (It is computed on use, not at a table's load:
// only the functions a patch names need it.)
func (f *Func) Hash() uint64 {
	if f.Flags&FlagSig == 0 {
		return 0
	}
	h := &fnvWriter{fnvOffset}
	writeSignature(h, f, false)
	return h.sum
}

// Finish derives what a table does not store: parameter offsets and
// ArgsSize of each function. Decode does the same as it checks frames;
// a table built some other way (elfbuild.Build) calls it once its functions
// are complete.
func (t *Table) Finish() {
	for i := range t.Funcs {
		f := &t.Funcs[i]
		f.ArgsSize = 0
		if f.Flags&FlagSig != 0 {
			f.ArgsSize = uint32(layout(f.Params, f.Results, regSize))
		} else if f.Flags&FlagPCArgs != 0 && f.PCArgs >= 0 {
			f.ArgsSize = uint32(f.PCArgs)
		}
	}
}

// index finds name: a decoded table by binary search of its name order, a
// made one through a map built at the first lookup.
func (t *Table) index(name string) (int, bool) {
	if e := t.enc; e != nil {
		lo, hi := 0, e.n
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if e.name(e.nameAt(m)) < name {
				lo = m + 1
			} else {
				hi = m
			}
		}
		if lo < e.n && e.name(e.nameAt(lo)) == name {
			return e.nameAt(lo), true
		}
		return 0, false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.byName == nil {
		t.byName = make(map[string]int, len(t.Funcs))
		for i := range t.Funcs {
			if _, dup := t.byName[t.Funcs[i].Name]; !dup { // Encode refuses duplicates; Build's input may have them
				t.byName[t.Funcs[i].Name] = i
			}
		}
	}
	i, ok := t.byName[name]
	return i, ok
}

// ByName finds a function by its full name.
func (t *Table) ByName(name string) (*Func, error) {
	i, ok := t.index(name)
	if !ok {
		return nil, fmt.Errorf("%s: %w", name, ErrNotFound)
	}
	return t.Func(i)
}

// ByAddr finds the function whose bytes [Entry, Entry+Size) hold addr.
func (t *Table) ByAddr(addr uint32) (*Func, error) {
	i := sort.Search(t.Len(), func(i int) bool { return t.Entry(i) > addr }) - 1
	if i >= 0 {
		f, err := t.Func(i)
		if err != nil {
			return nil, err
		}
		if addr-f.Entry < f.Size {
			return f, nil
		}
	}
	return nil, fmt.Errorf("%#x: %w", addr, ErrNotFound)
}

// Callers names the functions f is inlined into, in table order.
func (t *Table) Callers(f *Func) []string {
	var names []string
	for _, s := range f.Inlined {
		if s.Caller >= 0 && s.Caller < t.Len() {
			names = append(names, t.Name(s.Caller))
		}
	}
	return names
}
