package cproto

import (
	"fmt"

	"gojos/kern/functab"
)

// LoadOp is how the bridge reads one cdecl argument word from the Go frame.
type LoadOp uint8

// The loads: a whole word, or a byte or half word extended by the C type's
// signedness (cdecl passes every integer narrower than int as an int).
const (
	LoadWord LoadOp = iota
	LoadS8
	LoadU8
	LoadS16
	LoadU16
)

// StoreOp is how the bridge stores the C result in the Go frame.
type StoreOp uint8

// The stores: nothing (void), AL, AX, EAX, EDX:EAX, or a _Bool normalised
// to 0 or 1.
const (
	StoreNone StoreOp = iota
	Store8
	Store16
	Store32
	Store64
	StoreBool
)

// StoreSize is how many bytes of the Go frame a store writes.
func (s StoreOp) StoreSize() uint32 {
	return [...]uint32{0, 1, 2, 4, 8, 1}[s]
}

// Load is one argument word: where in the Go argument frame (from 0(FP)).
type Load struct {
	Off uint32
	Op  LoadOp
}

// Store is where the C result goes in the Go frame.
type Store struct {
	Off uint32
	Op  StoreOp
}

// Bridge is how one call crosses from Go to C: the cdecl argument words in
// order (first argument first, a long long as its low then its high word)
// and the result.
type Bridge struct {
	Loads  []Load
	Result Store
}

// Match checks that a C function of prototype p can stand for a Go function
// with these parameters and results (functab's, with frame offsets) and
// returns the bridge. Each Go type must map to a C type of its size: signed
// integers to signed ones, unsigned to unsigned (uintptr also to a
// pointer), bool to _Bool, pointers (unsafe.Pointer included) to pointers.
func Match(params, results []functab.Param, p *Proto) (*Bridge, error) {
	if len(params) != len(p.Params) {
		return nil, fmt.Errorf("the Go function has %d parameters, the C prototype %d", len(params), len(p.Params))
	}
	b := &Bridge{}
	for i, gp := range params {
		ct := p.Params[i]
		if err := compatible(gp.Type, ct); err != nil {
			return nil, fmt.Errorf("parameter %d: %v", i+1, err)
		}
		switch {
		case ct.Size == 8:
			b.Loads = append(b.Loads, Load{gp.Offset, LoadWord}, Load{gp.Offset + 4, LoadWord})
		case ct.Size == 4:
			b.Loads = append(b.Loads, Load{gp.Offset, LoadWord})
		case ct.Size == 2 && ct.Signed:
			b.Loads = append(b.Loads, Load{gp.Offset, LoadS16})
		case ct.Size == 2:
			b.Loads = append(b.Loads, Load{gp.Offset, LoadU16})
		case ct.Size == 1 && ct.Signed && ct.Kind == Int:
			b.Loads = append(b.Loads, Load{gp.Offset, LoadS8})
		default:
			b.Loads = append(b.Loads, Load{gp.Offset, LoadU8})
		}
	}
	switch {
	case p.Result.Kind == Void && len(results) == 0:
		return b, nil
	case p.Result.Kind == Void:
		return nil, fmt.Errorf("the C function returns void, the Go function %d results", len(results))
	case len(results) != 1:
		return nil, fmt.Errorf("the C function returns one value, the Go function %d", len(results))
	}
	r := results[0]
	if err := compatible(r.Type, p.Result); err != nil {
		return nil, fmt.Errorf("result: %v", err)
	}
	b.Result.Off = r.Offset
	switch {
	case p.Result.Kind == Bool:
		b.Result.Op = StoreBool
	case p.Result.Size == 1:
		b.Result.Op = Store8
	case p.Result.Size == 2:
		b.Result.Op = Store16
	case p.Result.Size == 4:
		b.Result.Op = Store32
	default:
		b.Result.Op = Store64
	}
	return b, nil
}

// compatible reports whether a Go type and a C type are the same value.
func compatible(g functab.Type, c CType) error {
	mismatch := fmt.Errorf("Go %s and C %s differ", g.Name, c.Spelling)
	switch g.Class {
	case functab.ClassInt, functab.ClassUint:
		if c.Kind == Pointer && g.Class == functab.ClassUint && g.Size == 4 {
			return nil // uintptr (or uint32) and a pointer: an address
		}
		if c.Kind != Int {
			return mismatch
		}
		if g.Size != c.Size {
			return fmt.Errorf("Go %s is %d bytes, C %s %d", g.Name, g.Size, c.Spelling, c.Size)
		}
		if (g.Class == functab.ClassInt) != c.Signed {
			return fmt.Errorf("Go %s and C %s differ in signedness", g.Name, c.Spelling)
		}
	case functab.ClassBool:
		if c.Kind != Bool {
			return mismatch
		}
	case functab.ClassPointer:
		if c.Kind != Pointer {
			return mismatch
		}
	default:
		return fmt.Errorf("Go %s has no C equivalent", g.Name)
	}
	return nil
}

// Describe spells a Go signature's C equivalent: "int(char *)" for
// func(*[65]uint8) int32, or why there is none.
func Describe(params, results []functab.Param) (string, error) {
	p := &Proto{Result: CType{Spelling: "void"}}
	for i, gp := range params {
		t, err := cFor(gp.Type)
		if err != nil {
			return "", fmt.Errorf("parameter %d: %v", i+1, err)
		}
		p.Params = append(p.Params, t)
	}
	switch len(results) {
	case 0:
	case 1:
		t, err := cFor(results[0].Type)
		if err != nil {
			return "", fmt.Errorf("result: %v", err)
		}
		p.Result = t
	default:
		return "", fmt.Errorf("%d results (C returns one value)", len(results))
	}
	return p.String(), nil
}

func cFor(g functab.Type) (CType, error) {
	switch g.Class {
	case functab.ClassInt, functab.ClassUint:
		names := map[uint32]string{1: "char", 2: "short", 4: "int", 8: "long long"}
		n, ok := names[g.Size]
		if !ok {
			break
		}
		if g.Class == functab.ClassUint {
			n = "unsigned " + n
		} else if g.Size == 1 {
			n = "signed char"
		}
		return CType{Spelling: n, Kind: Int, Size: g.Size, Signed: g.Class == functab.ClassInt}, nil
	case functab.ClassBool:
		return CType{Spelling: "_Bool", Kind: Bool, Size: 1}, nil
	case functab.ClassPointer:
		return CType{Spelling: "void *", Kind: Pointer, Size: 4}, nil
	}
	return CType{}, fmt.Errorf("Go %s has no C equivalent", g.Name)
}
