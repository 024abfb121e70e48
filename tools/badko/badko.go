// Command badko derives malformed kernel modules from a valid one, for tests that
// check the kernel refuses each with a clear error and keeps running.
//
//	badko -o OUTDIR [-key KEY.pem] valid.ko
//
// It writes OUTDIR/<name>.ko for every case below and OUTDIR/MANIFEST, one line per
// file: "<name>.ko<TAB><text the error message must contain>". The edits go
// through kern/module/elfrel's parser and editing helpers, so they land on real
// ELF structures of the input (its signature, if any, is removed first). With
// -key, every malformed module is then signed with that key (the build's
// signing key), so that the kernel's signature check passes and its loader's
// structural checks are what refuse them, and the signature attacks of
// sigattacks.go are written too (badsig-*.ko). The structural cases:
//
//	truncated.ko     the first half of the file: section contents or the section
//	                 header table end past the end of the file
//	shorthdr.ko      the first 30 bytes: a truncated ELF header
//	textfile.ko      a text file renamed to .ko: no ELF magic
//	elf64.ko         EI_CLASS changed to ELFCLASS64
//	x86_64.ko        e_machine changed to EM_X86_64
//	program.ko       e_type changed to ET_EXEC
//	badreloc.ko      the first relocation's type changed to R_386_GOTPC (10)
//	relocoutside.ko  the first relocation's offset moved to 2 bytes before the end
//	                 of its target section, so its 4 bytes cross the end
//	badsymindex.ko   the first relocation's symbol index set past the symbol table
//	undefined.ko     the first undefined symbol's name offset moved one byte on, so
//	                 "kprintf" becomes "printf", which the kernel does not export
//	reltarget.ko     the first relocation section's sh_info pointed at itself (one
//	                 byte: its target would never be relocated)
//	reldup.ko        that relocation section split in two, the second half's header
//	                 written over a section nothing loads (.comment): two relocation
//	                 sections for one target
//	relsym0.ko       the first relocation's symbol index set to 0 (no symbol)
//	noname.ko        the name= entry of .modinfo zeroed: no name, and init_module
//	                 (insmod) gives no file name to fall back to
//	badinit.ko       init_module's symbol type changed to STT_OBJECT
package main

import (
	"bytes"
	"errors"
	"fmt"

	"gojos/kern/module/elfrel"
)

// Bad is one malformed module.
type Bad struct {
	Name string // file name
	Data []byte
	Want string // text the loader's error must contain
}

// Generate derives the malformed modules from a valid one. The valid module must
// parse, lay out, have at least two relocations of an allocated section, at least
// one undefined symbol (every module calls the KABI), a .comment section, a
// .modinfo with name= and an init_module.
func Generate(valid []byte) ([]Bad, error) {
	o, err := elfrel.Parse(valid)
	if err != nil {
		return nil, fmt.Errorf("input: %w", err)
	}
	if _, err := elfrel.Layout(o); err != nil {
		return nil, fmt.Errorf("input: %w", err)
	}
	clone := func() []byte { return append([]byte(nil), valid...) }
	var out []Bad
	add := func(name string, data []byte, want string) {
		out = append(out, Bad{Name: name, Data: data, Want: want})
	}

	add("truncated.ko", clone()[:len(valid)/2], "out of bounds of the")
	add("shorthdr.ko", clone()[:30], "truncated ELF header")
	add("textfile.ko", []byte("This is a text file, not a module.\n"), "not an ELF file")
	d := clone()
	d[4] = 2 // EI_CLASS = ELFCLASS64
	add("elf64.ko", d, "ELF64 not supported")
	d = clone()
	elfrel.PutMachine(d, elfrel.EM_X86_64)
	add("x86_64.ko", d, "wrong machine x86-64")
	d = clone()
	elfrel.PutType(d, elfrel.ET_EXEC)
	add("program.ko", d, "not a relocatable object (ET_EXEC)")

	rs := o.RelSections()
	if len(rs) == 0 {
		return nil, errors.New("input has no relocations of loaded sections")
	}
	rels, err := o.Rels(rs[0])
	if err != nil || len(rels) == 0 {
		return nil, fmt.Errorf("input: empty relocation section %s", o.Sections[rs[0]].Name)
	}
	relName := o.Sections[rs[0]].Name
	target := o.Sections[o.Sections[rs[0]].Info]

	d = clone()
	r := rels[0]
	r.Type = 10 // R_386_GOTPC
	elfrel.PutRel(d, r)
	add("badreloc.ko", d, fmt.Sprintf("unsupported relocation R_386_GOTPC (10) in %s", relName))

	d = clone()
	r = rels[0]
	r.Offset = target.Size - 2
	elfrel.PutRel(d, r)
	add("relocoutside.ko", d, fmt.Sprintf("is outside %s", target.Name))

	d = clone()
	r = rels[0]
	r.Sym = uint32(len(o.Symbols)) + 100
	elfrel.PutRel(d, r)
	add("badsymindex.ko", d, fmt.Sprintf("symbol index %d out of range", r.Sym))

	var undef *elfrel.Symbol
	for i := range o.Symbols[1:] {
		s := &o.Symbols[i+1]
		if s.Shndx == elfrel.SHN_UNDEF && len(s.Name) >= 2 {
			undef = s
			break
		}
	}
	if undef == nil {
		return nil, errors.New("input has no undefined symbol to break")
	}
	d = clone()
	elfrel.PutSymbolName(d, *undef, undef.NameOff+1)
	add("undefined.ko", d, "undefined symbol: "+undef.Name[1:])

	rs0 := o.Sections[rs[0]]
	d = clone()
	sec := rs0
	sec.Info = uint32(rs0.Index)
	elfrel.PutSection(d, sec)
	add("reltarget.ko", d, fmt.Sprintf("relocation section %s applies to itself (section %d)", relName, rs0.Index))

	spare, ok := o.SectionByName(".comment")
	if !ok || spare.Alloc() || len(rels) < 2 {
		return nil, errors.New("input has no .comment section to overwrite or fewer than 2 relocations")
	}
	d = clone()
	half := uint32(len(rels)/2) * elfrel.RelSize
	first, second := rs0, rs0
	first.Size = half
	second.Index, second.HdrOff, second.Offset, second.Size = spare.Index, spare.HdrOff, rs0.Offset+half, rs0.Size-half
	elfrel.PutSection(d, first)
	elfrel.PutSection(d, second)
	add("reldup.ko", d, fmt.Sprintf("relocation sections %s (section %d) and %s (section %d) both apply to %s",
		relName, min(rs0.Index, spare.Index), relName, max(rs0.Index, spare.Index), target.Name))

	d = clone()
	r = rels[0]
	r.Sym = 0
	elfrel.PutRel(d, r)
	add("relsym0.ko", d, "refers to symbol 0 (no symbol)")

	mi, ok := o.SectionByName(".modinfo")
	if !ok {
		return nil, errors.New("input has no .modinfo")
	}
	c := o.Contents(mi.Index)
	at := bytes.Index(c, []byte("name="))
	if at < 0 || at > 0 && c[at-1] != 0 {
		return nil, errors.New("input's .modinfo has no name=")
	}
	d = clone()
	clear(d[int(mi.Offset)+at : int(mi.Offset)+at+bytes.IndexByte(c[at:], 0)])
	add("noname.ko", d, "module has no name: no name= in .modinfo (MODULE_NAME) and no file name to use instead")

	init, ok := o.Lookup(elfrel.InitSymbol)
	if !ok {
		return nil, errors.New("input has no init_module")
	}
	d = clone()
	init.Info = init.Info&0xf0 | elfrel.STT_OBJECT
	elfrel.PutSymbol(d, init)
	add("badinit.ko", d, "init_module must be a global function (it is a global object)")
	return out, nil
}
