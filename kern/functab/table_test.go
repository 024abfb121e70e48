package functab

import (
	"errors"
	"reflect"
	"testing"
)

var (
	tInt32  = Type{Name: "int32", Class: ClassInt, Size: 4, Align: 4}
	tInt8   = Type{Name: "int8", Class: ClassInt, Size: 1, Align: 1}
	tInt16  = Type{Name: "int16", Class: ClassInt, Size: 2, Align: 2}
	tInt64  = Type{Name: "int64", Class: ClassInt, Size: 8, Align: 4}
	tBool   = Type{Name: "bool", Class: ClassBool, Size: 1, Align: 1}
	tString = Type{Name: "string", Class: ClassString, Size: 8, Align: 4}
	tError  = Type{Name: "error", Class: ClassError, Size: 8, Align: 4}
	tPtr    = Type{Name: "*gojos/kern/ksym.Table", Class: ClassPointer, Size: 4, Align: 4}
	tAtomic = Type{Name: "sync/atomic.Int64", Class: ClassOther, Size: 8, Align: 8}
)

func sigFunc(params, results []Param) *Func {
	f := Func{Name: "f", Entry: 0x1000, Size: 16, Flags: FlagSig, Params: params, Results: results}
	t := &Table{Funcs: []Func{f}}
	t.Finish()
	return &t.Funcs[0]
}

func TestSignature(t *testing.T) {
	for _, c := range []struct {
		params, results []Param
		named, types    string
	}{
		{nil, []Param{{Type: tInt32}}, "func() int32", "func() int32"},
		{nil, nil, "func()", "func()"},
		{[]Param{{Name: "n", Type: tInt32}, {Name: "s", Type: tString}}, []Param{{Type: tBool}, {Type: tError}},
			"func(n int32, s string) (bool, error)", "func(int32, string) (bool, error)"},
		{[]Param{{Type: tInt32}, {Name: "b", Type: tInt32}}, []Param{{Name: "err", Type: tError}},
			"func(_ int32, b int32) (err error)", "func(int32, int32) error"},
		{[]Param{{Type: tPtr}}, []Param{{Name: "a", Type: tInt8}, {Type: tInt8}},
			"func(*gojos/kern/ksym.Table) (a int8, _ int8)", "func(*gojos/kern/ksym.Table) (int8, int8)"},
	} {
		f := sigFunc(c.params, c.results)
		if got := f.Signature(); got != c.named {
			t.Errorf("Signature() = %q, want %q", got, c.named)
		}
		if got := f.TypeSignature(); got != c.types {
			t.Errorf("TypeSignature() = %q, want %q", got, c.types)
		}
		if f.Hash() != SigHash(c.types) || f.Hash() == 0 {
			t.Errorf("%s: Hash %#x, want %#x", c.named, f.Hash(), SigHash(c.types))
		}
	}
	if (&Func{Name: "asm", Flags: FlagAsm}).Signature() != "" {
		t.Error("a function without FlagSig has a signature")
	}
	// Same types, other names: same hash.
	a := sigFunc([]Param{{Name: "x", Type: tInt32}}, nil)
	b := sigFunc([]Param{{Name: "y", Type: tInt32}}, nil)
	c := sigFunc([]Param{{Name: "x", Type: tInt64}}, nil)
	if a.Hash() != b.Hash() || a.Hash() == c.Hash() {
		t.Errorf("hashes %#x %#x %#x: want equal for equal types only", a.Hash(), b.Hash(), c.Hash())
	}
}

func TestLayout(t *testing.T) {
	for _, c := range []struct {
		name            string
		params, results []Type
		offsets         []uint32 // params then results
		size            uint64
	}{
		{"empty", nil, nil, nil, 0},
		{"int32 result", nil, []Type{tInt32}, []uint32{0}, 4},
		{"bytes packed", []Type{tInt8, tBool, tInt16}, nil, []uint32{0, 1, 2}, 4},
		{"results word aligned", []Type{tInt8}, []Type{tInt8}, []uint32{0, 4}, 8},
		{"int64 is 4-aligned on 386", []Type{tInt8, tInt64}, []Type{tBool}, []uint32{0, 4, 12}, 16},
		{"string after byte", []Type{tBool, tString}, []Type{tInt16, tError}, []uint32{0, 4, 12, 16}, 24},
		{"atomic.Int64 is 8-aligned", []Type{tInt8, tAtomic}, []Type{tInt64}, []uint32{0, 8, 16}, 24},
	} {
		var ps, rs []Param
		for _, ty := range c.params {
			ps = append(ps, Param{Type: ty})
		}
		for _, ty := range c.results {
			rs = append(rs, Param{Type: ty})
		}
		size := layout(ps, rs, regSize)
		var offs []uint32
		for _, p := range append(ps, rs...) {
			offs = append(offs, p.Offset)
		}
		if size != c.size || !reflect.DeepEqual(offs, c.offsets) {
			t.Errorf("%s: size %d offsets %v, want %d %v", c.name, size, offs, c.size, c.offsets)
		}
	}
}

func testTable() *Table {
	t := &Table{BuildID: "redacted", ImageHash: [32]byte{1, 2, 3}, Funcs: []Func{
		{Name: "gojos/kern/kpatch.kpatch_test1", File: "doc.go", Entry: 0xc0100000, Size: 0x20, Flags: FlagSig | FlagPCArgs,
			Results: []Param{{Type: tInt32}}, PCArgs: 4},
		{Name: "gojos/kern/ksym.Kind.String", Entry: 0xc0100020, Size: 0x10, Flags: FlagSig | FlagInlined,
			Params: []Param{{Name: "k", Type: tInt8}}, Results: []Param{{Type: tString}},
			Inlined: []Site{{Caller: 0, Count: 2}, {Caller: 3, Count: 1}}},
		{Name: "runtime.memmove", File: "memmove_386.s", Entry: 0xc0100040, Size: 0x40, Flags: FlagAsm | FlagNoSplit | FlagPCArgs, PCArgs: 12},
		{Name: "runtime.morestack", Entry: 0xc0100080, Size: 8, Flags: FlagAsm | FlagNoSplit | FlagPCArgs, PCArgs: ArgsSizeUnknown},
		{Name: "main.f·1", Entry: 0xc0100100, Size: 0x100, Flags: FlagSig | FlagClosure | FlagGeneric | FlagWrapper,
			Params: []Param{{Name: ".dict", Type: Type{Name: "uintptr", Class: ClassUint, Size: 4, Align: 4}},
				{Name: "v", Type: tAtomic}, {Name: "p", Type: tPtr}},
			Results: []Param{{Name: "ok", Type: tBool}, {Name: "err", Type: tError}}},
	}}
	t.Finish()
	return t
}

func TestLookup(t *testing.T) {
	made := testTable()
	b, err := Encode(made)
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, tab := range []*Table{made, decoded} {
		lookups(t, tab)
	}
}

func lookups(t *testing.T, tab *Table) {
	for _, c := range []struct {
		addr uint32
		want string
	}{
		{0xc0100000, "gojos/kern/kpatch.kpatch_test1"},
		{0xc010001f, "gojos/kern/kpatch.kpatch_test1"},
		{0xc0100020, "gojos/kern/ksym.Kind.String"},
		{0xc0100087, "runtime.morestack"},
		{0xc0100088, ""}, // the gap after morestack
		{0xc00fffff, ""},
		{0xc0100200, ""},
		{0, ""},
		{0xffffffff, ""},
	} {
		f, err := tab.ByAddr(c.addr)
		if err != nil && (!errors.Is(err, ErrNotFound) || errors.Is(err, ErrFormat)) {
			t.Errorf("ByAddr(%#x): %v", c.addr, err)
		}
		if got := ""; err == nil {
			got = f.Name
			if got != c.want {
				t.Errorf("ByAddr(%#x) = %s, want %q", c.addr, got, c.want)
			}
		} else if c.want != "" {
			t.Errorf("ByAddr(%#x) found nothing, want %s", c.addr, c.want)
		}
	}
	f, err := tab.ByName("gojos/kern/ksym.Kind.String")
	ok := err == nil
	if !ok || f.Entry != 0xc0100020 {
		t.Fatalf("ByName = %v, %v", f, ok)
	}
	if got, want := tab.Callers(f), []string{"gojos/kern/kpatch.kpatch_test1", "runtime.morestack"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Callers = %q, want %q", got, want)
	}
	if _, err := tab.ByName("kpatch_test1"); !errors.Is(err, ErrNotFound) {
		t.Error("ByName found a short name")
	}
	if f, _ := tab.Func(4); f.ArgsSize != 32 || f.Params[1].Offset != 8 || f.Results[1].Offset != 24 {
		t.Errorf("%s: ArgsSize %d, offsets %+v %+v", f.Name, f.ArgsSize, f.Params, f.Results)
	}
	if f, _ := tab.Func(2); f.ArgsSize != 12 {
		t.Errorf("asm ArgsSize %d, want the pclntab's 12", f.ArgsSize)
	}
	if f, _ := tab.Func(3); f.ArgsSize != 0 {
		t.Errorf("ArgsSize %d for unknown pclntab args, want 0", f.ArgsSize)
	}
}

func TestNames(t *testing.T) {
	for name, want := range map[string]string{
		"gojos/kern/ksym.(*Table).Lookup":             "gojos/kern/ksym",
		"runtime.mallocgc":                            "runtime",
		"slices.Compare[go.shape.[]int,go.shape.int]": "slices",
		"main.main": "main",
		"internal/sync.(*HashTrieMap[go.shape.interface {},go.shape.interface {}]).Swap": "internal/sync",
		"noDot": "noDot",
	} {
		if got := Package(name); got != want {
			t.Errorf("Package(%q) = %q, want %q", name, got, want)
		}
	}
	if got := (FlagSig | FlagNoSplit | 1<<14).String(); got != "sig,nosplit,0x4000" {
		t.Errorf("Flags.String = %q", got)
	}
	if ClassError.String() != "error" || Class(42).String() != "class(42)" {
		t.Error("Class.String")
	}
}
