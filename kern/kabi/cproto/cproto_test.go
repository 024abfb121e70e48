package cproto

import (
	"reflect"
	"strings"
	"testing"

	"gojos/kern/functab"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]string{
		"int(void)":                         "int(void)",
		"int()":                             "int(void)",
		"int ( char * buf )":                "int(char *)",
		"unsigned int(int, _Bool)":          "unsigned int(int, _Bool)",
		"long long(unsigned long long x)":   "long long(unsigned long long)",
		"void(const char *fmt, size_t n)":   "void(const char *, size_t)",
		"void *(struct foo *, void **pp)":   "void *(struct foo *, void **)",
		"signed char(unsigned short, long)": "signed char(unsigned short, long)",
		"enum e(uint8_t, char * const p)":   "enum e(uint8_t, char * const)",
		"bool(bool)":                        "bool(bool)",
	} {
		p, err := Parse(in)
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if got := p.String(); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
	p, _ := Parse("long long(unsigned char, short, void *, _Bool)")
	want := []CType{{"unsigned char", Int, 1, false}, {"short", Int, 2, true}, {"void *", Pointer, 4, false}, {"_Bool", Bool, 1, false}}
	if !reflect.DeepEqual(p.Params, want) || p.Result != (CType{"long long", Int, 8, true}) {
		t.Errorf("%+v", p)
	}
	for in, want := range map[string]string{
		"":                      "want a type, found the end",
		"int":                   `want "(", found the end`,
		"int(":                  "want a type, found the end",
		"int(void, int)":        "parameter 1 is void",
		"int(foo)":              `unknown type name "foo"`,
		"int(double)":           "floating point",
		"int(struct s)":         "by value is not supported",
		"int(int x y)":          `unexpected "y" after parameter name "x"`,
		"int(int a[4])":         `unexpected '['`,
		"int(int (*f)(void))":   `want ",", found "("`,
		"short short(int)":      `bad type "short short"`,
		"int(long long long)":   "bad type",
		"int(unsigned signed)":  "bad type",
		"int(int) extra":        `unexpected "extra"`,
		"int(char, ":            "want a type, found the end",
		"int(uint8_t unsigned)": `bad type "uint8_t unsigned"`,
		"int(const)":            `bad type "const"`,
		"int(struct)":           "want a tag name",
		"int(int,int,int,int,int,int,int,int,int,int,int,int,int,int,int,int,int)": "more than 16",
	} {
		_, err := Parse(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want one containing %q", in, err, want)
		}
	}
}

var (
	tInt8   = functab.Type{Name: "int8", Class: functab.ClassInt, Size: 1, Align: 1}
	tUint16 = functab.Type{Name: "uint16", Class: functab.ClassUint, Size: 2, Align: 2}
	tInt32  = functab.Type{Name: "int32", Class: functab.ClassInt, Size: 4, Align: 4}
	tUint32 = functab.Type{Name: "uint32", Class: functab.ClassUint, Size: 4, Align: 4}
	tInt64  = functab.Type{Name: "int64", Class: functab.ClassInt, Size: 8, Align: 4}
	tBool   = functab.Type{Name: "bool", Class: functab.ClassBool, Size: 1, Align: 1}
	tBuf    = functab.Type{Name: "*[65]uint8", Class: functab.ClassPointer, Size: 4, Align: 4}
	tUptr   = functab.Type{Name: "uintptr", Class: functab.ClassUint, Size: 4, Align: 4}
	tString = functab.Type{Name: "string", Class: functab.ClassString, Size: 8, Align: 4}
)

func at(t functab.Type, off uint32) functab.Param { return functab.Param{Type: t, Offset: off} }

func TestMatch(t *testing.T) {
	// func(int8, uint16, *[65]uint8, int64, bool, uintptr) int32: offsets 0, 2, 4, 8, 16, 20; result at 24.
	params := []functab.Param{at(tInt8, 0), at(tUint16, 2), at(tBuf, 4), at(tInt64, 8), at(tBool, 16), at(tUptr, 20)}
	results := []functab.Param{at(tInt32, 24)}
	p, err := Parse("int(signed char, unsigned short, char *, long long, _Bool, void *)")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Match(params, results, p)
	if err != nil {
		t.Fatal(err)
	}
	want := &Bridge{Loads: []Load{{0, LoadS8}, {2, LoadU16}, {4, LoadWord}, {8, LoadWord}, {12, LoadWord}, {16, LoadU8}, {20, LoadWord}},
		Result: Store{24, Store32}}
	if !reflect.DeepEqual(b, want) {
		t.Errorf("bridge %+v, want %+v", b, want)
	}
	if d, err := Describe(params, results); err != nil || d != "int(signed char, unsigned short, void *, long long, _Bool, unsigned int)" {
		t.Errorf("Describe: %q %v", d, err)
	}
	for _, c := range []struct {
		proto   string
		params  []functab.Param
		results []functab.Param
		want    string
	}{
		{"int(void)", nil, []functab.Param{at(tInt32, 0)}, ""},
		{"void(void)", nil, nil, ""},
		{"_Bool(void)", nil, []functab.Param{at(tBool, 0)}, ""},
		{"int(void)", nil, nil, "returns one value, the Go function 0"},
		{"void(void)", nil, []functab.Param{at(tInt32, 0)}, "returns void, the Go function 1 results"},
		{"int(int)", nil, []functab.Param{at(tInt32, 0)}, "the Go function has 0 parameters, the C prototype 1"},
		{"int(unsigned int)", []functab.Param{at(tInt32, 0)}, []functab.Param{at(tInt32, 4)}, "parameter 1: Go int32 and C unsigned int differ in signedness"},
		{"int(int)", []functab.Param{at(tInt64, 0)}, []functab.Param{at(tInt32, 8)}, "parameter 1: Go int64 is 8 bytes, C int 4"},
		{"int(char *)", []functab.Param{at(tString, 0)}, []functab.Param{at(tInt32, 8)}, "parameter 1: Go string has no C equivalent"},
		{"int(int)", []functab.Param{at(tBuf, 0)}, []functab.Param{at(tInt32, 4)}, "Go *[65]uint8 and C int differ"},
		{"int(void)", nil, []functab.Param{at(tInt32, 0), at(tBool, 4)}, "returns one value, the Go function 2"},
		{"unsigned int(void)", nil, []functab.Param{at(tInt32, 0)}, "result: Go int32 and C unsigned int differ in signedness"},
		{"int(void *)", []functab.Param{at(tUint32, 0)}, []functab.Param{at(tInt32, 4)}, ""},
	} {
		p, err := Parse(c.proto)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Match(c.params, c.results, p)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s: %v, want %q", c.proto, err, c.want)
		}
	}
}

func TestArgsAndResult(t *testing.T) {
	p, _ := Parse("int(signed char, unsigned short, long long, _Bool, void *)")
	w, err := Args(p, []string{"-1", "0xffff", "-2", "true", "0xc0100000"})
	if err != nil || !reflect.DeepEqual(w, []uint32{0xffffffff, 0xffff, 0xfffffffe, 0xffffffff, 1, 0xc0100000}) {
		t.Errorf("%#x %v", w, err)
	}
	for _, bad := range [][]string{{"128", "0", "0", "true", "0"}, {"0", "-1", "0", "true", "0"}, {"0", "0", "0", "maybe", "0"}, {"0"}} {
		if _, err := Args(p, bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	for _, c := range []struct {
		t      CType
		lo, hi uint32
		want   string
	}{
		{CType{Kind: Void}, 5, 0, ""},
		{CType{Kind: Int, Size: 4, Signed: true}, 0xffffffff, 0, "-1"},
		{CType{Kind: Int, Size: 1, Signed: true}, 0x1ff, 0, "-1"},
		{CType{Kind: Int, Size: 2}, 0x1ffff, 0, "65535"},
		{CType{Kind: Int, Size: 8, Signed: true}, 0xfffffffe, 0xffffffff, "-2"},
		{CType{Kind: Int, Size: 8}, 0, 1, "4294967296"},
		{CType{Kind: Bool, Size: 1}, 0x100, 0, "false"},
		{CType{Kind: Pointer, Size: 4}, 0xc0100000, 0, "0xc0100000"},
	} {
		if got := Result(c.t, c.lo, c.hi); got != c.want {
			t.Errorf("%+v %#x %#x: %q, want %q", c.t, c.lo, c.hi, got, c.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("int(char *buf, unsigned long long)")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)
		if err != nil {
			return
		}
		q, err := Parse(p.String())
		if err != nil || q.String() != p.String() {
			t.Fatalf("%q -> %q -> %v %v", s, p.String(), q, err)
		}
	})
}
