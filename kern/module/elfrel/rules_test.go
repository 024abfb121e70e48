package elfrel

import (
	"errors"
	"strings"
	"testing"
)

// The loader's validation rules (docs/design.md, "Live patching"), one case per
// rule: each input is the valid module with one defect.

// rawEdit returns the valid module's bytes after f edited them (f gets the parsed
// valid object to find headers and entries).
func rawEdit(f func(o *Object, d []byte)) []byte {
	d := validBuilder().Bytes()
	o, err := Parse(d)
	if err != nil {
		panic(err)
	}
	f(o, d)
	return d
}

func builderEdit(f func(b *Builder)) []byte {
	b := validBuilder()
	f(b)
	return b.Bytes()
}

// relFor returns the relocation section that applies to section target.
func relFor(o *Object, target int) Section {
	for _, s := range o.Sections {
		if s.Type == SHT_REL && s.Info == uint32(target) {
			return s
		}
	}
	panic("no relocation section")
}

func editSection(i int, f func(s *Section)) []byte {
	return rawEdit(func(o *Object, d []byte) {
		s := o.Sections[i]
		f(&s)
		PutSection(d, s)
	})
}

func editRelText(f func(s *Section, o *Object)) []byte {
	return rawEdit(func(o *Object, d []byte) {
		s := relFor(o, secText)
		f(&s, o)
		PutSection(d, s)
	})
}

func editSymbol(i int, f func(s *Symbol)) []byte {
	return rawEdit(func(o *Object, d []byte) {
		s := o.Symbols[i]
		f(&s)
		PutSymbol(d, s)
	})
}

type ruleCase struct {
	name  string
	data  []byte
	class error
	msg   string
}

func TestRules(t *testing.T) {
	cases := []ruleCase{
		// Relocation sections: a loaded target with contents, not itself, named after
		// it, at most one per target, using the symbol table.
		{"rel applies to itself", editRelText(func(s *Section, o *Object) { s.Info = uint32(s.Index) }),
			ErrMalformed, "relocation section .rel.text applies to itself"},
		{"rel applies to symtab", editRelText(func(s *Section, o *Object) { s.Info = uint32(o.Symtab) }),
			ErrMalformed, "applies to .symtab (section 7), a SHT_SYMTAB section, not code or data"},
		{"rel applies to another section", editRelText(func(s *Section, o *Object) { s.Info = secRodata }),
			ErrMalformed, "relocation section .rel.text applies to .rodata (section 2): its name says it is for .text"},
		{"rel applies to .modinfo", builderEdit(func(b *Builder) { b.AddRel(secModinfo, 0, symKprintf, R_386_32) }),
			ErrReloc, "relocation section .rel.modinfo applies to .modinfo (section 5), which is not loaded"},
		{"rel applies to non-alloc", builderEdit(func(b *Builder) { b.AddRel(secComment, 0, symKprintf, R_386_32) }),
			ErrReloc, "applies to .comment (section 6), which is not allocated (no SHF_ALLOC)"},
		{"rel target 0", editRelText(func(s *Section, o *Object) { s.Info = 0 }),
			ErrMalformed, "target section index 0 out of range"},
		{"rel target out of range", editRelText(func(s *Section, o *Object) { s.Info = 99 }),
			ErrMalformed, "target section index 99 out of range"},
		{"rel duplicated", rawEdit(func(o *Object, d []byte) {
			rt, rd := relFor(o, secText), relFor(o, secData)
			rd.Info, rd.NameOff = secText, rt.NameOff
			PutSection(d, rd)
		}), ErrMalformed, "relocation sections .rel.text (section 9) and .rel.text (section 10) both apply to .text (section 1)"},
		{"rel symbol table", editRelText(func(s *Section, o *Object) { s.Link = secText }),
			ErrMalformed, "relocation section .rel.text: symbol table index 1, want 7"},
		{"rel entry size", editRelText(func(s *Section, o *Object) { s.Entsize = 12 }),
			ErrMalformed, "entry size 12"},
		{"rel section of another type", editRelText(func(s *Section, o *Object) { s.Type = SHT_NOTE }),
			ErrMalformed, "section .rel.text (section 9) is a SHT_NOTE section, but its name says it holds the relocations of .text"},
		// Relocation entries.
		{"reloc R_386_NONE", builderEdit(func(b *Builder) { b.AddRel(secText, 11, symKprintf, R_386_NONE) }),
			ErrReloc, "unsupported relocation R_386_NONE (0) in .rel.text at offset 0xb"},
		{"reloc symbol 0", builderEdit(func(b *Builder) { b.AddRel(secText, 11, 0, R_386_32) }),
			ErrReloc, "relocation 5 in .rel.text at offset 0xb refers to symbol 0 (no symbol)"},
		{"relocs overlap", builderEdit(func(b *Builder) { b.AddRel(secText, 3, symKprintf, R_386_32) }),
			ErrReloc, "relocations in .rel.text at offsets 0x1 and 0x3 overlap"},
		{"reloc crosses the end", builderEdit(func(b *Builder) { b.AddRel(secData, 5, symKprintf, R_386_32) }),
			ErrReloc, "relocation 1 in .rel.data at offset 0x5 is outside .data (8 bytes)"},
		{"call to data", builderEdit(func(b *Builder) { b.AddRel(secText, 11, symSecRodata, R_386_PC32) }),
			ErrReloc, "relocation 5 in .rel.text at offset 0xb: a call or jump (R_386_PC32) to .rodata, which is not code"},
		{"call operand moved", builderEdit(func(b *Builder) { b.AddRel(secText, 11, symKprintf, R_386_PC32) }),
			ErrReloc, "relocation 5 in .rel.text at offset 0xb: R_386_PC32, but the bytes before it are not a call or jump opcode"},
		{"call to an absolute symbol", builderEdit(func(b *Builder) {
			b.AddRel(secText, 11, b.AddSymbol(BSymbol{Name: "ABS", Bind: STB_GLOBAL, Section: SHN_ABS, Value: 0x1000}), R_386_PLT32)
		}), ErrReloc, "a call or jump (R_386_PLT32) to ABS, which is not code"},
		// Undefined symbols: all resolved, referenced or not, and each used.
		{"unreferenced undefined", builderEdit(func(b *Builder) { b.AddSymbol(BSymbol{Name: "printk", Bind: STB_GLOBAL}) }),
			ErrUndefined, "undefined symbol: printk"},
		{"undefined and unused", builderEdit(func(b *Builder) { b.AddSymbol(BSymbol{Name: "kprintf", Bind: STB_GLOBAL}) }),
			ErrReloc, "undefined symbol kprintf is used by no relocation (were relocations lost?)"},
		{"undefined without a name", editSymbol(symSecRodata, func(s *Symbol) { s.Info, s.Shndx = 0, SHN_UNDEF }),
			ErrReloc, "undefined symbol 2 has no name"},
		// Symbols' section indexes, bindings and types.
		{"section index out of range", editSymbol(symTest2, func(s *Symbol) { s.Shndx = 50 }),
			ErrMalformed, "symbol test2: section index 50 out of range (12 sections)"},
		{"reserved section index", editSymbol(symTest2, func(s *Symbol) { s.Shndx = 0xff10 }),
			ErrUnsupported, "symbol test2: reserved section index 0xff10"},
		{"common symbol", builderEdit(func(b *Builder) {
			b.AddSymbol(BSymbol{Name: "c", Bind: STB_GLOBAL, Section: SHN_COMMON, Size: 4})
		}), ErrUnsupported, "common symbol c: compile modules with -fno-common"},
		{"absolute section symbol", editSymbol(symSecRodata, func(s *Symbol) { s.Shndx = SHN_ABS }),
			ErrMalformed, "section symbol #2 has section index 0xfff1, not a section"},
		{"section symbol value", editSymbol(symSecRodata, func(s *Symbol) { s.Value = 4 }),
			ErrMalformed, "section symbol #2 of .rodata (section 2) has value 0x4, not 0"},
		{"two section symbols", editSymbol(symSecRodata, func(s *Symbol) { s.Shndx = secText }),
			ErrMalformed, "symbols 1 and 2 are both the section symbol of .text (section 1)"},
		{"binding", editSymbol(symTest2, func(s *Symbol) { s.Info = 5<<4 | STT_FUNC }),
			ErrUnsupported, "symbol test2: unsupported binding 5"},
		{"tls symbol", editSymbol(symCounter, func(s *Symbol) { s.Info = STB_GLOBAL<<4 | STT_TLS }),
			ErrUnsupported, "symbol counter: thread-local storage"},
		{"symbol type", editSymbol(symCounter, func(s *Symbol) { s.Info = STB_GLOBAL<<4 | 7 }),
			ErrUnsupported, "symbol counter: unsupported type 7"},
		// Defined symbols: inside a loaded section; functions in the text.
		{"symbol size past its section", editSymbol(symCounter, func(s *Symbol) { s.Size = 5 }),
			ErrMalformed, "symbol counter [0x4, 0x9) is outside its section .data (8 bytes)"},
		{"functions overlap", editSymbol(symTest2, func(s *Symbol) { s.Size = 17 }),
			ErrMalformed, "functions test2 [0x0, 0x11) and init_fn [0x10, 0x25) overlap"},
		{"function outside the text", editSymbol(symTest2, func(s *Symbol) { s.Shndx = secRodata }),
			ErrMalformed, "function symbol test2 is in .rodata, which is not executable"},
		{"absolute function", editSymbol(symTest2, func(s *Symbol) { s.Shndx = SHN_ABS }),
			ErrMalformed, "function symbol test2 is absolute (0x0), not in the module's text"},
		{"global in unloaded section", editSymbol(symCounter, func(s *Symbol) { s.Shndx = secComment }),
			ErrMalformed, "global symbol counter is defined in .comment (section 6), which is not loaded"},
		// init_module and cleanup_module: one global function inside the text.
		{"init undefined", editSymbol(symInitModule, func(s *Symbol) { s.Shndx = SHN_UNDEF }),
			ErrMalformed, "init_module is declared but not defined in the module"},
		{"init local", editSymbol(symInitModule, func(s *Symbol) { s.Info = STB_LOCAL<<4 | STT_FUNC }),
			ErrMalformed, "init_module must be a global function (it is a local function)"},
		{"init object", editSymbol(symInitModule, func(s *Symbol) { s.Info = STB_GLOBAL<<4 | STT_OBJECT }),
			ErrMalformed, "init_module must be a global function (it is a global object)"},
		{"init in data", editSymbol(symInitModule, func(s *Symbol) {
			s.Info, s.Shndx, s.Value, s.Size = STB_GLOBAL<<4|STT_NOTYPE, secData, 0, 0
		}), ErrMalformed, "init_module must be a global function"},
		{"init absolute", editSymbol(symInitModule, func(s *Symbol) { s.Info, s.Shndx = STB_GLOBAL<<4|STT_NOTYPE, SHN_ABS }),
			ErrMalformed, "init_module must be a global function"},
		{"init at the end", editSymbol(symInitModule, func(s *Symbol) { s.Value, s.Size = uint32(len(textBytes)), 0 }),
			ErrMalformed, "init_module is at offset 0x25, at or past the end of .text (37 bytes)"},
		{"init twice", builderEdit(func(b *Builder) {
			b.AddSymbol(BSymbol{Name: "init_module", Value: 0, Size: 16, Type: STT_FUNC, Bind: STB_GLOBAL, Section: secText})
		}), ErrMalformed, "init_module is defined twice (symbols 5 and 9)"},
		{"exit not a function", builderEdit(func(b *Builder) {
			b.AddSymbol(BSymbol{Name: "cleanup_module", Value: 0, Size: 4, Type: STT_OBJECT, Bind: STB_GLOBAL, Section: secData})
		}), ErrMalformed, "cleanup_module must be a global function"},
		// File structure.
		{"section 0", editSection(0, func(s *Section) { s.Type = SHT_PROGBITS }),
			ErrMalformed, "section 0 is not the null section (type SHT_PROGBITS"},
		{"contents overlap", editSection(secText, func(s *Section) { s.Offset += 4 }),
			ErrMalformed, "overlaps the contents of .text (section 1)"},
		{"contents overlap the header", editSection(secRodata, func(s *Section) { s.Offset = 40 }),
			ErrMalformed, "the contents of .rodata (section 2) [0x28, 0x4a) overlaps the ELF header [0x0, 0x34)"},
		{"string table loaded", rawEdit(func(o *Object, d []byte) {
			s := o.Sections[o.Sections[o.Symtab].Link]
			s.Flags |= SHF_ALLOC
			PutSection(d, s)
		}), ErrUnsupported, "section .strtab (section 8): a SHT_STRTAB section cannot be loaded"},
		{"executable bss", builderEdit(func(b *Builder) {
			b.AddSection(BSection{Name: ".xbss", Type: SHT_NOBITS, Flags: SHF_ALLOC | SHF_EXECINSTR, Size: 4})
		}), ErrMalformed, "section .xbss (section 7) is executable but has no contents"},
		// .modinfo.
		{"modinfo NOBITS", editSection(secModinfo, func(s *Section) { s.Type = SHT_NOBITS }),
			ErrMalformed, ".modinfo: a SHT_NOBITS section, want SHT_PROGBITS"},
		{"modinfo unterminated", withModinfo([]byte("license=MIT\x00name=test")),
			ErrMalformed, ".modinfo: the last entry is not NUL-terminated"},
		{"modinfo two names", withModinfo([]byte("name=test\x00name=other\x00")),
			ErrMalformed, `.modinfo: more than one name= ("test" and "other")`},
		{"modinfo bad key", withModinfo([]byte("name=test\x00li cense=MIT\x00")),
			ErrMalformed, `.modinfo entry "li cense=MIT" is not key=value`},
		{"modinfo empty name", withModinfo([]byte("name=\x00")),
			ErrMalformed, `.modinfo: bad module name ""`},
		{"modinfo long name", withModinfo([]byte("name=" + strings.Repeat("a", 56) + "\x00")),
			ErrMalformed, ".modinfo: bad module name"},
		{"two modinfo sections", builderEdit(func(b *Builder) {
			b.AddSection(BSection{Name: ".modinfo", Type: SHT_PROGBITS, Data: []byte("author=x\x00")})
		}), ErrMalformed, ".modinfo: two sections (5 and 7)"},
	}
	for _, c := range cases {
		_, err := load(c.data, kabi)
		if err == nil || !errors.Is(err, c.class) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: err = %v; want %v containing %q", c.name, err, c.class, c.msg)
		}
	}
}

// TestBranchOperands: PC-relative relocations of call, jmp and jcc operands load.
func TestBranchOperands(t *testing.T) {
	data := builderEdit(func(b *Builder) {
		code := []byte{0xe9, 0xfc, 0xff, 0xff, 0xff, 0x0f, 0x84, 0xfc, 0xff, 0xff, 0xff, 0xc3}
		sec := b.AddSection(BSection{Name: ".text.b", Type: SHT_PROGBITS, Flags: SHF_ALLOC | SHF_EXECINSTR, Data: code})
		b.AddRel(sec, 1, symKprintf, R_386_PLT32)
		b.AddRel(sec, 7, symTest2, R_386_PC32)
	})
	if _, err := load(data, kabi); err != nil {
		t.Fatal(err)
	}
}

// TestDebugRelocationsIgnored: relocations of a debugging section (not allocated)
// are ignored, as Linux ignores them, so modules built with -g load.
func TestDebugRelocationsIgnored(t *testing.T) {
	data := builderEdit(func(b *Builder) {
		dbg := b.AddSection(BSection{Name: ".debug_info", Type: SHT_PROGBITS, Data: make([]byte, 8)})
		b.AddRel(dbg, 0, symTest2, R_386_32)
		b.AddRel(dbg, 2, 200, 99) // would be refused if applied
	})
	if _, err := load(data, kabi); err != nil {
		t.Fatal(err)
	}
}

func TestModuleName(t *testing.T) {
	for _, c := range []struct {
		modinfo  []byte // nil: no .modinfo section at all
		file     string
		name     string
		errClass error
		err      string
	}{
		{[]byte("name=test\x00"), "other.ko", "test", nil, ""},
		{[]byte("license=MIT\x00"), "/lib/modules/fuzz/0042.ko", "0042", nil, ""},
		{[]byte{}, "mod.ko", "mod", nil, ""},
		{nil, "mod", "mod", nil, ""},
		{[]byte("\x00\x00"), "mod.ko", "mod", nil, ""},
		{[]byte{}, "", "", ErrMalformed, "module has no name: no name= in .modinfo (MODULE_NAME) and no file name"},
		{[]byte("license=MIT\x00"), "a b.ko", "", ErrMalformed, `its file name "a b.ko" is not a valid module name`},
		{[]byte("license=MIT\x00"), ".ko", "", ErrMalformed, "not a valid module name"},
	} {
		b := validBuilder()
		if c.modinfo == nil {
			b.secs[secModinfo-1] = BSection{Name: ".note", Type: SHT_PROGBITS}
		} else {
			b.secs[secModinfo-1].Data = c.modinfo
		}
		o, err := Parse(b.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		img, err := Layout(o)
		if err != nil {
			t.Fatalf("%q: %v", c.modinfo, err)
		}
		name, err := img.ModuleName(c.file)
		if c.errClass == nil && (err != nil || name != c.name) || c.errClass != nil &&
			(!errors.Is(err, c.errClass) || !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%q, %q: ModuleName = %q, %v; want %q, %q", c.modinfo, c.file, name, err, c.name, c.err)
		}
	}
}

// FuzzModInfo feeds arbitrary .modinfo contents to the loader: it refuses them
// with a classified error or names the module validly.
func FuzzModInfo(f *testing.F) {
	for _, s := range []string{"name=test\x00", "", "\x00\x00", "name=\x00", "license=MIT\x00name=t", "a=b\x00name=x\x00name=y\x00"} {
		f.Add([]byte(s), "file.ko")
	}
	f.Fuzz(func(t *testing.T, modinfo []byte, file string) {
		o, err := Parse(withModinfo(modinfo))
		if err != nil {
			t.Fatal(err) // .modinfo contents cannot break the file's structure
		}
		img, err := Layout(o)
		if err != nil {
			checkErr(t, err)
			return
		}
		name, err := img.ModuleName(file)
		if err != nil {
			checkErr(t, err)
			return
		}
		if !ValidName(name) {
			t.Fatalf("module name %q from .modinfo %q and file %q", name, modinfo, file)
		}
	})
}
