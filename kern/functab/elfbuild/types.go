package elfbuild

import (
	"gojos/kern/functab"

	"debug/dwarf"
	"fmt"
	"strings"
)

// Go's DWARF extensions (cmd/internal/dwarf): the kind of a type (the
// runtime's internal/abi.Kind values) and, on the typedefs standing for a
// shape function's type parameters, their index in the dictionary.
const (
	attrGoKind      dwarf.Attr = 0x2900
	attrGoDictIndex dwarf.Attr = 0x2906
)

// Go kinds (internal/abi.Kind).
const (
	kindBool          = 1
	kindInt           = 2
	kindInt64         = 6
	kindUintptr       = 12
	kindComplex64     = 15
	kindComplex128    = 16
	kindPointer       = 22
	kindString        = 24
	kindUnsafePointer = 26
)

// typeReader resolves DWARF type references to Types: names, sizes, ABI0
// alignment and class, following typedefs, struct members and array
// elements.
type typeReader struct {
	d       *dwarf.Data
	r       *dwarf.Reader
	regSize uint32
	cache   map[dwarf.Offset]functab.Type
	busy    map[dwarf.Offset]bool
}

func newTypeReader(d *dwarf.Data, regSize uint32) *typeReader {
	return &typeReader{d: d, r: d.Reader(), regSize: regSize,
		cache: map[dwarf.Offset]functab.Type{}, busy: map[dwarf.Offset]bool{}}
}

// typeEntry is one type DIE with what matters of its children.
type typeEntry struct {
	e       *dwarf.Entry
	members []dwarf.Offset // struct member types
	count   int64          // array element count (DW_TAG_subrange_type), -1 if absent
}

func (tr *typeReader) read(off dwarf.Offset) (typeEntry, error) {
	tr.r.Seek(off)
	e, err := tr.r.Next()
	if err != nil {
		return typeEntry{}, err
	}
	if e == nil || e.Offset != off {
		return typeEntry{}, fmt.Errorf("no DWARF entry at %#x", off)
	}
	te := typeEntry{e: e, count: -1}
	if !e.Children {
		return te, nil
	}
	for {
		c, err := tr.r.Next()
		if err != nil {
			return typeEntry{}, err
		}
		if c == nil || c.Tag == 0 {
			return te, nil
		}
		switch c.Tag {
		case dwarf.TagMember:
			t, ok := c.Val(dwarf.AttrType).(dwarf.Offset)
			if !ok {
				return typeEntry{}, fmt.Errorf("member of type %#x has no type", off)
			}
			te.members = append(te.members, t)
		case dwarf.TagSubrangeType:
			if n, ok := c.Val(dwarf.AttrCount).(int64); ok {
				te.count = n
			}
		}
		if c.Children {
			tr.r.SkipChildren()
		}
	}
}

// get resolves the type at off.
func (tr *typeReader) get(off dwarf.Offset) (functab.Type, error) {
	if t, ok := tr.cache[off]; ok {
		return t, nil
	}
	if tr.busy[off] {
		return functab.Type{}, fmt.Errorf("type %#x contains itself", off)
	}
	tr.busy[off] = true
	defer delete(tr.busy, off)
	te, err := tr.read(off)
	if err != nil {
		return functab.Type{}, err
	}
	t, err := tr.resolve(te)
	if err != nil {
		return functab.Type{}, fmt.Errorf("type %#x: %v", off, err)
	}
	tr.cache[off] = t
	return t, nil
}

func (tr *typeReader) resolve(te typeEntry) (functab.Type, error) {
	e := te.e
	name, _ := e.Val(dwarf.AttrName).(string)
	kind, hasKind := e.Val(attrGoKind).(int64)
	size, hasSize := e.Val(dwarf.AttrByteSize).(int64)
	target, hasTarget := e.Val(dwarf.AttrType).(dwarf.Offset)
	t := functab.Type{Name: name, Size: uint32(size)}
	if hasSize && (size < 0 || size > functab.MaxFrame) {
		return functab.Type{}, fmt.Errorf("%s: size %d", name, size)
	}
	switch e.Tag {
	case dwarf.TagBaseType:
		a := size
		if kind == kindComplex64 || kind == kindComplex128 ||
			(!hasKind && e.Val(dwarf.AttrEncoding) == int64(0x3)) { // DW_ATE_complex_float
			a = size / 2
		}
		t.Align = alignOf(a, tr.regSize)
		switch {
		case kind == kindBool:
			t.Class = functab.ClassBool
		case kind >= kindInt && kind <= kindInt64:
			t.Class = functab.ClassInt
		case kind > kindInt64 && kind <= kindUintptr:
			t.Class = functab.ClassUint
		}
	case dwarf.TagPointerType:
		t.Size, t.Align, t.Class = tr.regSize, uint8(tr.regSize), functab.ClassPointer
	case dwarf.TagSubroutineType:
		t.Size, t.Align = tr.regSize, uint8(tr.regSize)
	case dwarf.TagStructType:
		t.Align = 1
		for _, m := range te.members {
			mt, err := tr.get(m)
			if err != nil {
				return functab.Type{}, err
			}
			t.Align = max(t.Align, mt.Align)
			if mt.Size == 0 && isAlign64(mt.Name) {
				t.Align = 8
			}
		}
		if kind == kindString {
			t.Class = functab.ClassString
		}
	case dwarf.TagArrayType:
		if !hasTarget {
			return functab.Type{}, fmt.Errorf("%s: array without element type", name)
		}
		et, err := tr.get(target)
		if err != nil {
			return functab.Type{}, err
		}
		t.Align = et.Align
		if !hasSize {
			if te.count < 0 || uint64(te.count)*uint64(et.Size) > functab.MaxFrame {
				return functab.Type{}, fmt.Errorf("%s: array without size", name)
			}
			t.Size = uint32(te.count) * et.Size
		}
	case dwarf.TagTypedef:
		if !hasTarget {
			return functab.Type{}, fmt.Errorf("%s: typedef without type", name)
		}
		u, err := tr.get(target)
		if err != nil {
			return functab.Type{}, err
		}
		t.Size, t.Align, t.Class = u.Size, u.Align, u.Class
		if _, ok := e.Val(attrGoDictIndex).(int64); ok {
			t.Name = u.Name // a shape function's type parameter: name its shape
		}
		if name == "error" {
			t.Class = functab.ClassError
		} else if hasKind && t.Class != functab.ClassOther && kind != kindPointer {
			t.Class = functab.ClassOther // maps, chans, funcs, interfaces behind typedefs
		}
	default:
		return functab.Type{}, fmt.Errorf("%s: unexpected %v", name, e.Tag)
	}
	if name == "unsafe.Pointer" || kind == kindUnsafePointer {
		t.Class = functab.ClassPointer
	}
	if t.Name == "" {
		return functab.Type{}, fmt.Errorf("unnamed %v", e.Tag)
	}
	return t, nil
}

// alignOf is a scalar's ABI0 alignment: its size, at most a register.
func alignOf(size int64, regSize uint32) uint8 {
	switch {
	case size <= 1:
		return 1
	case size >= int64(regSize):
		return uint8(regSize)
	case size >= 4:
		return 4
	case size >= 2:
		return 2
	}
	return 1
}

// isAlign64 reports whether name is the empty struct by which sync/atomic
// and internal/runtime/atomic ask for 8-byte alignment of the struct holding
// it (atomic.Int64 and friends), on 386 too.
func isAlign64(name string) bool {
	pkg, ok := strings.CutSuffix(name, ".align64")
	return ok && (pkg == "sync/atomic" || pkg == "internal/runtime/atomic")
}
