package elfrel

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

// A module like modules/test/test.c, hand-assembled (i386 encodings from the SDM).
var (
	// test2: push $hello; call kprintf; add $4,%esp; xor %eax,%eax; ret
	// init_fn (at 16): push $test2; push $fmt; call kprintf; add $8,%esp; xor %eax,%eax; ret
	textBytes = []byte{
		0x68, 0, 0, 0, 0, // +0  push $.rodata+0       R_386_32 .rodata (A=0)
		0xe8, 0xfc, 0xff, 0xff, 0xff, // +5  call kprintf  R_386_PC32 kprintf (A=-4)
		0x83, 0xc4, 0x04, 0x31, 0xc0, 0xc3, // +10
		0x68, 0, 0, 0, 0, // +16 push $test2          R_386_32 test2
		0x68, 13, 0, 0, 0, // +21 push $.rodata+13     R_386_32 .rodata (A=13 in place)
		0xe8, 0xfc, 0xff, 0xff, 0xff, // +26 call kprintf R_386_PLT32 kprintf
		0x83, 0xc4, 0x08, 0x31, 0xc0, 0xc3, // +31
	}
	rodataBytes = []byte("Hello World\n\x00test2 address: 0x%x\n\x00")
	dataBytes   = []byte{0, 0, 0, 0, 0x2a, 0, 0, 0} // fnptr (R_386_32 test2), counter = 42
)

const (
	textBase   = 0xd0000000
	rodataBase = 0xd0001000
	dataBase   = 0xd0002000
	kprintfAt  = 0xc0105000
)

// section indices in validBuilder
const (
	secText = 1 + iota
	secRodata
	secData
	secBSS
	secModinfo
	secComment
)

// symbol indices in validBuilder
const (
	symSecText = 1 + iota
	symSecRodata
	symInitFn
	symTest2
	symInitModule
	symKprintf
	symCounter
	symBuf
)

func validBuilder() *Builder {
	b := &Builder{}
	b.AddSection(BSection{Name: ".text", Type: SHT_PROGBITS, Flags: SHF_ALLOC | SHF_EXECINSTR, Align: 16, Data: textBytes})
	b.AddSection(BSection{Name: ".rodata", Type: SHT_PROGBITS, Flags: SHF_ALLOC, Align: 1, Data: rodataBytes})
	b.AddSection(BSection{Name: ".data", Type: SHT_PROGBITS, Flags: SHF_ALLOC | SHF_WRITE, Align: 4, Data: dataBytes})
	b.AddSection(BSection{Name: ".bss", Type: SHT_NOBITS, Flags: SHF_ALLOC | SHF_WRITE, Align: 8, Size: 16})
	b.AddSection(BSection{Name: ".modinfo", Type: SHT_PROGBITS, Flags: SHF_ALLOC, Align: 1, Data: []byte("name=test\x00license=MIT\x00")})
	b.AddSection(BSection{Name: ".comment", Type: SHT_PROGBITS, Data: []byte("GCC\x00")})
	b.AddSymbol(BSymbol{Type: STT_SECTION, Section: secText})
	b.AddSymbol(BSymbol{Type: STT_SECTION, Section: secRodata})
	b.AddSymbol(BSymbol{Name: "init_fn", Value: 16, Size: 21, Type: STT_FUNC, Section: secText})
	b.AddSymbol(BSymbol{Name: "test2", Value: 0, Size: 16, Type: STT_FUNC, Bind: STB_GLOBAL, Section: secText})
	b.AddSymbol(BSymbol{Name: "init_module", Value: 16, Size: 21, Type: STT_FUNC, Bind: STB_GLOBAL, Section: secText})
	b.AddSymbol(BSymbol{Name: "kprintf", Bind: STB_GLOBAL})
	b.AddSymbol(BSymbol{Name: "counter", Value: 4, Size: 4, Type: STT_OBJECT, Bind: STB_GLOBAL, Section: secData})
	b.AddSymbol(BSymbol{Name: "buf", Value: 0, Size: 16, Type: STT_OBJECT, Bind: STB_GLOBAL, Section: secBSS})
	b.AddRel(secText, 1, symSecRodata, R_386_32)
	b.AddRel(secText, 6, symKprintf, R_386_PC32)
	b.AddRel(secText, 17, symTest2, R_386_32)
	b.AddRel(secText, 22, symSecRodata, R_386_32)
	b.AddRel(secText, 27, symKprintf, R_386_PLT32)
	b.AddRel(secData, 0, symTest2, R_386_32)
	return b
}

var bases = [NumRegions]uint32{textBase, rodataBase, dataBase}

func kabi(name string) (uint32, error) {
	if name == "kprintf" {
		return kprintfAt, nil
	}
	return 0, fmt.Errorf("not exported")
}

func u32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

func load(data []byte, resolve Resolver) (*Image, error) {
	o, err := Parse(data)
	if err != nil {
		return nil, err
	}
	img, err := Layout(o)
	if err != nil {
		return nil, err
	}
	return img, Relocate(img, bases, resolve)
}

func TestValid(t *testing.T) {
	img, err := load(validBuilder().Bytes(), kabi)
	if err != nil {
		t.Fatal(err)
	}
	if img.Name != "test" || img.Info["license"] != "MIT" {
		t.Errorf("modinfo %q %v", img.Name, img.Info)
	}
	// text: test2 at 0xd0000000, init_fn at 0xd0000010
	var want []byte
	want = append(want, 0x68)
	want = append(want, u32(rodataBase)...)
	want = append(want, 0xe8)
	want = append(want, u32(wrap(kprintfAt-4-(textBase+6)))...)
	want = append(want, 0x83, 0xc4, 0x04, 0x31, 0xc0, 0xc3)
	want = append(want, 0x68)
	want = append(want, u32(textBase)...)
	want = append(want, 0x68)
	want = append(want, u32(rodataBase+13)...)
	want = append(want, 0xe8)
	want = append(want, u32(wrap(kprintfAt-4-(textBase+27)))...)
	want = append(want, 0x83, 0xc4, 0x08, 0x31, 0xc0, 0xc3)
	if got := img.Regions[Text].Bytes; !bytes.Equal(got, want) {
		t.Errorf("text\n got % x\nwant % x", got, want)
	}
	// The call in test2 must land on kprintf: P+4+rel == S.
	rel := binary.LittleEndian.Uint32(img.Regions[Text].Bytes[6:])
	if textBase+10+rel != kprintfAt {
		t.Errorf("call target %#x", textBase+10+rel)
	}
	// rodata: .rodata only (.modinfo is read from the file, not loaded).
	if got := img.Regions[Rodata].Bytes; !bytes.Equal(got, rodataBytes) {
		t.Errorf("rodata % x", got)
	}
	// data: .data (fnptr relocated, counter 42), then .bss 8-aligned and zero.
	wantData := append(u32(textBase), 0x2a, 0, 0, 0)
	wantData = append(wantData, make([]byte, 16)...)
	if got := img.Regions[Data].Bytes; !bytes.Equal(got, wantData) {
		t.Errorf("data % x, want % x", got, wantData)
	}
	if img.Regions[Text].Align != 16 || img.Regions[Data].Align != 8 {
		t.Errorf("aligns %d %d", img.Regions[Text].Align, img.Regions[Data].Align)
	}
	if a, ok := img.Init(); !ok || a != textBase+16 {
		t.Errorf("Init = %#x %v", a, ok)
	}
	if _, ok := img.Exit(); ok {
		t.Error("Exit found in a module without cleanup_module")
	}
	exp := Exports(img)
	got := map[string]Export{}
	for _, e := range exp {
		got[e.Name] = e
	}
	if len(exp) != 4 || got["test2"].Addr != textBase || !got["test2"].Func ||
		got["counter"].Addr != dataBase+4 || got["buf"].Addr != dataBase+8 || got["init_module"].Addr != textBase+16 {
		t.Errorf("Exports = %+v", exp)
	}
	// Relocating again at other bases starts from the file's bytes.
	nb := [NumRegions]uint32{0xe0000000, 0xe0001000, 0xe0002000}
	if err := Relocate(img, nb, kabi); err != nil {
		t.Fatal(err)
	}
	if v := binary.LittleEndian.Uint32(img.Regions[Text].Bytes[1:]); v != 0xe0001000 {
		t.Errorf("re-relocated push operand %#x", v)
	}
	if a, _ := img.SectionAddr(secBSS); a != 0xe0002008 {
		t.Errorf("bss at %#x", a)
	}
}

func TestErrors(t *testing.T) {
	valid := validBuilder().Bytes()
	edit := func(f func(b *Builder)) []byte {
		b := validBuilder()
		f(b)
		return b.Bytes()
	}
	type tc struct {
		name    string
		data    []byte
		resolve Resolver
		class   error
		msg     string
	}
	cases := []tc{
		{"empty", nil, kabi, ErrNotELF, "not an ELF file"},
		{"text file", []byte("this is a text file, not a module\n"), kabi, ErrNotELF, "not an ELF file"},
		{"truncated header", valid[:30], kabi, ErrMalformed, "truncated ELF header: 30 bytes"},
		{"truncated ident", valid[:10], kabi, ErrMalformed, "truncated ELF header"},
		{"truncated half", valid[:len(valid)/2], kabi, ErrMalformed, "out of bounds of the"},
		{"truncated end", valid[:len(valid)-1], kabi, ErrMalformed, "section header table"},
		{"ELF64", edit(func(b *Builder) { b.Class = 2 }), kabi, ErrUnsupported, "ELF64 not supported"},
		{"big endian", edit(func(b *Builder) { b.Encoding = 2 }), kabi, ErrUnsupported, "big-endian"},
		{"x86-64", edit(func(b *Builder) { b.Machine = EM_X86_64 }), kabi, ErrUnsupported, "wrong machine x86-64 (62)"},
		{"ARM", edit(func(b *Builder) { b.Machine = 40 }), kabi, ErrUnsupported, "wrong machine ARM"},
		{"ET_EXEC", edit(func(b *Builder) { b.Type = ET_EXEC }), kabi, ErrUnsupported,
			"not a relocatable object (ET_EXEC): is this a program, not a module?"},
		{"ET_DYN", edit(func(b *Builder) { b.Type = ET_DYN }), kabi, ErrUnsupported, "ET_DYN"},
		{"GOTPC", edit(func(b *Builder) { b.AddRel(secText, 11, symKprintf, 10) }), kabi, ErrReloc,
			"unsupported relocation R_386_GOTPC (10) in .rel.text at offset 0xb"},
		{"unknown type", edit(func(b *Builder) { b.AddRel(secData, 0, symKprintf, 200) }), kabi, ErrReloc,
			"unsupported relocation R_386_unknown200 (200) in .rel.data"},
		{"reloc past end", edit(func(b *Builder) { b.AddRel(secText, uint32(len(textBytes)-2), symKprintf, R_386_32) }), kabi, ErrReloc,
			"at offset 0x23 is outside .text (37 bytes)"},
		{"reloc far outside", edit(func(b *Builder) { b.AddRel(secData, 0xfffffffe, symKprintf, R_386_32) }), kabi, ErrReloc,
			"outside .data"},
		{"symbol index", edit(func(b *Builder) { b.AddRel(secText, 1, 99, R_386_32) }), kabi, ErrReloc,
			"symbol index 99 out of range"},
		{"undefined", valid, nil, ErrUndefined, "undefined symbol: kprintf"},
		{"undefined two", edit(func(b *Builder) {
			b.AddRel(secData, 4, b.AddSymbol(BSymbol{Name: "printk", Bind: STB_GLOBAL}), R_386_32)
		}), func(string) (uint32, error) { return 0, errors.New("no") }, ErrUndefined, "undefined symbols: kprintf, printk"},
		{"wx section", edit(func(b *Builder) {
			b.AddSection(BSection{Name: ".wx", Type: SHT_PROGBITS, Flags: SHF_ALLOC | SHF_WRITE | SHF_EXECINSTR, Data: []byte{1}})
		}), kabi, ErrUnsupported, ".wx is both writable and executable"},
		{"tls", edit(func(b *Builder) {
			b.AddSection(BSection{Name: ".tbss", Type: SHT_NOBITS, Flags: SHF_ALLOC | SHF_WRITE | SHF_TLS, Size: 4})
		}), kabi, ErrUnsupported, "thread-local"},
		{"huge bss", edit(func(b *Builder) {
			b.AddSection(BSection{Name: ".bigbss", Type: SHT_NOBITS, Flags: SHF_ALLOC | SHF_WRITE, Size: 0xffffff00})
		}), kabi, ErrUnsupported, "would exceed"},
		{"huge align", edit(func(b *Builder) {
			b.AddSection(BSection{Name: ".al", Type: SHT_PROGBITS, Flags: SHF_ALLOC, Align: 1 << 20, Data: []byte{1}})
		}), kabi, ErrUnsupported, "alignment"},
		{"bad align", edit(func(b *Builder) {
			b.AddSection(BSection{Name: ".al", Type: SHT_PROGBITS, Flags: SHF_ALLOC, Align: 3, Data: []byte{1}})
		}), kabi, ErrMalformed, "not a power of two"},
		{"modinfo", withModinfo([]byte("garbage\x00")), kabi, ErrMalformed, "not key=value"},
		{"module name", withModinfo([]byte("name=a b\x00")), kabi, ErrMalformed, "bad module name"},
		{"common", edit(func(b *Builder) {
			b.AddRel(secData, 4, b.AddSymbol(BSymbol{Name: "c", Bind: STB_GLOBAL, Section: SHN_COMMON, Size: 4}), R_386_32)
		}), kabi, ErrUnsupported, "-fno-common"},
		{"symbol in unloaded section", edit(func(b *Builder) {
			b.AddRel(secData, 4, b.AddSymbol(BSymbol{Name: "cm", Bind: STB_GLOBAL, Section: secComment}), R_386_32)
		}), kabi, ErrMalformed, "global symbol cm is defined in .comment (section 6), which is not loaded"},
		{"symbol value outside", edit(func(b *Builder) {
			b.AddRel(secData, 4, b.AddSymbol(BSymbol{Name: "far", Bind: STB_GLOBAL, Section: secData, Value: 100}), R_386_32)
		}), kabi, ErrMalformed, "symbol far [0x64, 0x64) is outside its section .data (8 bytes)"},
		{"reloc into bss", edit(func(b *Builder) { b.AddRel(secBSS, 0, symKprintf, R_386_32) }), kabi, ErrMalformed,
			"relocation section .rel.bss applies to .bss (section 4), which has no contents (SHT_NOBITS)"},
		{"no symtab", func() []byte {
			b := &Builder{}
			b.AddSection(BSection{Name: ".text", Type: SHT_PROGBITS, Flags: SHF_ALLOC | SHF_EXECINSTR, Data: []byte{0xc3}})
			d := b.Bytes()
			o, _ := Parse(d)
			binary.LittleEndian.PutUint32(d[o.Sections[o.Symtab].HdrOff+4:], SHT_PROGBITS)
			return d
		}(), kabi, ErrMalformed, "no symbol table"},
	}
	for _, c := range cases {
		_, err := load(c.data, c.resolve)
		if err == nil || !errors.Is(err, c.class) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: err = %v; want %v containing %q", c.name, err, c.class, c.msg)
		}
	}
}

func TestWeakAndAbs(t *testing.T) {
	b := validBuilder()
	d2 := b.AddSection(BSection{Name: ".data2", Type: SHT_PROGBITS, Flags: SHF_ALLOC | SHF_WRITE, Align: 4, Data: u32(8)})
	weak := b.AddSymbol(BSymbol{Name: "maybe", Bind: STB_WEAK})
	abs := b.AddSymbol(BSymbol{Name: "ABSV", Bind: STB_GLOBAL, Section: SHN_ABS, Value: 0x1234})
	b.AddRel(secData, 4, weak, R_386_32) // counter += &maybe (0)
	b.AddRel(d2, 0, abs, R_386_PC32)
	img, err := load(b.Bytes(), kabi)
	if err != nil {
		t.Fatal(err)
	}
	d := img.Regions[Data].Bytes
	if v := binary.LittleEndian.Uint32(d[4:]); v != 42 {
		t.Errorf("weak: %#x", v)
	}
	// .data2 (after .data and .bss, at 24) held 8: += 0x1234 - P.
	if v := binary.LittleEndian.Uint32(d[24:]); v != wrap(8+0x1234-(dataBase+24)) {
		t.Errorf("abs pc32: %#x", v)
	}
}

func TestMisalignedBase(t *testing.T) {
	o, _ := Parse(validBuilder().Bytes())
	img, err := Layout(o)
	if err != nil {
		t.Fatal(err)
	}
	if err := Relocate(img, [NumRegions]uint32{textBase + 4, rodataBase, dataBase}, kabi); err == nil ||
		!strings.Contains(err.Error(), "text base 0xd0000004 is not 16-byte aligned") {
		t.Errorf("err = %v", err)
	}
	if Exports(img) != nil {
		t.Error("Exports after a failed Relocate")
	}
}

func TestEditHelpers(t *testing.T) {
	data := validBuilder().Bytes()
	o, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	rs := o.RelSections()
	if len(rs) != 2 {
		t.Fatalf("RelSections = %v", rs)
	}
	rels, err := o.Rels(rs[0])
	if err != nil || len(rels) != 5 || rels[1].Offset != 6 || rels[1].Sym != symKprintf || rels[1].Type != R_386_PC32 {
		t.Fatalf("Rels = %+v %v", rels, err)
	}
	r := rels[0]
	r.Type = 10
	PutRel(data, r)
	k, _ := o.Lookup("kprintf")
	PutSymbolName(data, k, k.NameOff+1)
	any := func(string) (uint32, error) { return kprintfAt, nil }
	if _, err := load(data, any); err == nil || !strings.Contains(err.Error(), "R_386_GOTPC") {
		t.Errorf("after PutRel: %v", err)
	}
	o2, _ := Parse(data)
	if _, ok := o2.Lookup("printf"); !ok {
		t.Error("PutSymbolName did not rename")
	}
	PutType(data, ET_EXEC)
	if _, err := Parse(data); err == nil {
		t.Error("PutType had no effect")
	}
	PutType(data, ET_REL)
	PutMachine(data, EM_X86_64)
	if _, err := Parse(data); err == nil {
		t.Error("PutMachine had no effect")
	}
	if _, err := o.Rels(0); err == nil {
		t.Error("Rels(0) accepted")
	}
}

// FuzzParseLayoutRelocate feeds arbitrary bytes through the whole loader.
func FuzzParseLayoutRelocate(f *testing.F) {
	valid := validBuilder().Bytes()
	f.Add(valid)
	f.Add(valid[:len(valid)/2])
	f.Add(valid[:30])
	f.Add([]byte("text file\n"))
	for _, p := range []string{os.Getenv("GOJOS_TEST_KO"), "../../../modules/test/test.ko"} {
		if data, err := os.ReadFile(p); p != "" && err == nil {
			f.Add(data) // the real module, when available
			break
		}
	}
	for _, edit := range []func(b *Builder){
		func(b *Builder) { b.Class = 2 },
		func(b *Builder) { b.Machine = EM_X86_64 },
		func(b *Builder) { b.Type = ET_EXEC },
		func(b *Builder) { b.AddRel(secText, 11, symKprintf, 10) },
		func(b *Builder) { b.AddRel(secText, 35, symKprintf, R_386_32) },
		func(b *Builder) { b.AddRel(secText, 1, 99, R_386_32) },
		func(b *Builder) {
			b.AddRel(secData, 4, b.AddSymbol(BSymbol{Name: "printk", Bind: STB_GLOBAL}), R_386_32)
		},
	} {
		b := validBuilder()
		edit(b)
		f.Add(b.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := Parse(data)
		if err != nil {
			checkErr(t, err)
			return
		}
		img, err := Layout(o)
		if err != nil {
			checkErr(t, err)
			return
		}
		if err := Relocate(img, bases, kabi); err != nil {
			checkErr(t, err)
			return
		}
		checkLoaded(t, img)
	})
}

// checkLoaded checks what the loader promises about a module it accepted.
func checkLoaded(t *testing.T, img *Image) {
	inRegion := func(r Region, a uint32) bool {
		return a >= bases[r] && uint64(a) < uint64(bases[r])+uint64(len(img.Regions[r].Bytes))
	}
	for _, f := range []func() (uint32, bool){img.Init, img.Exit} {
		if a, ok := f(); ok && !inRegion(Text, a) {
			t.Fatalf("init/exit at %#x, outside the text", a)
		}
	}
	for _, e := range Exports(img) {
		if e.Func && (!inRegion(Text, e.Addr) || uint64(e.Addr)+uint64(e.Size) > uint64(bases[Text])+uint64(len(img.Regions[Text].Bytes))) {
			t.Fatalf("function %s [%#x, +%d) is not inside the text", e.Name, e.Addr, e.Size)
		}
	}
	targets := map[uint32]bool{}
	for _, ri := range img.Obj.RelSections() {
		ti := img.Obj.Sections[ri].Info
		if targets[ti] || !img.Place[ti].Placed {
			t.Fatalf("relocation section %d: target %d applied twice or not loaded", ri, ti)
		}
		targets[ti] = true
	}
	if name, err := img.ModuleName(""); err != nil {
		checkErr(t, err)
	} else if !ValidName(name) {
		t.Fatalf("module name %q", name)
	}
}

func checkErr(t *testing.T, err error) {
	var e *Error
	if !errors.As(err, &e) || e.Msg == "" {
		t.Fatalf("error %v is not a classified *Error", err)
	}
}

// wrap reduces a (possibly negative) constant modulo 2^32, as the CPU does.
func wrap(v int64) uint32 { return uint32(v) }

// withModinfo is the valid module with .modinfo holding data instead.
func withModinfo(data []byte) []byte {
	b := validBuilder()
	b.secs[secModinfo-1].Data = data
	return b.Bytes()
}
