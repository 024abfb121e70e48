package vdso

// The ELF page's layout (offsets are also virtual addresses relative to the
// load address: the image is linked at 0 and mapped anywhere).
const (
	ehdrSize  = 52
	phdrOff   = ehdrSize
	phnum     = 2
	dynOff    = 0x80 // .dynamic
	dynCount  = 9
	hashOff   = dynOff + dynCount*8 // .hash: nbucket, nchain, bucket, chain
	nsym      = 2                   // the null symbol and __vdso_clock_gettime
	symOff    = hashOff + (2+1+nsym)*4
	strOff    = symOff + nsym*16
	versymOff = strOff + len(dynstr)
	verdefOff = (versymOff + nsym*2 + 3) &^ 3
	verdefLen = 2 * (20 + 8) // two Elf32_Verdef, each with one Elf32_Verdaux
	shstrOff  = verdefOff + verdefLen
	shdrOff   = (shstrOff + len(shstrtab) + 3) &^ 3
	shnum     = 9
	textOff   = (shdrOff + shnum*40 + 15) &^ 15

	// Symbol name offsets in dynstr.
	nameSO      = 1
	nameGettime = nameSO + len("linux-gate.so.1") + 1
	nameVersion = nameGettime + len("__vdso_clock_gettime") + 1
)

const dynstr = "\x00linux-gate.so.1\x00__vdso_clock_gettime\x00LINUX_2.6\x00"

// Section names; shName gives each section's offset in shstrtab.
const shstrtab = "\x00.hash\x00.dynsym\x00.dynstr\x00.gnu.version\x00.gnu.version_d\x00.dynamic\x00.text\x00.shstrtab\x00"

// ELF constants (System V ABI and the GNU symbol-versioning extension).
const (
	etDyn       = 3
	emI386      = 3
	ptLoad      = 1
	ptDynamic   = 2
	pfX         = 1
	pfR         = 4
	dtNull      = 0
	dtHash      = 4
	dtStrtab    = 5
	dtSymtab    = 6
	dtStrsz     = 10
	dtSyment    = 11
	dtVersym    = 0x6ffffff0
	dtVerdef    = 0x6ffffffc
	dtVerdefnum = 0x6ffffffd
	shtProgbits = 1
	shtStrtab   = 3
	shtHash     = 5
	shtDynamic  = 6
	shtDynsym   = 11
	shtVerdef   = 0x6ffffffd
	shtVersym   = 0x6fffffff
	shfAlloc    = 2
	shfExec     = 4
	stbGlobal   = 1
	sttFunc     = 2
	verFlgBase  = 1
	shText      = 7 // section index of .text
)

// ElfHash is the System V ABI's symbol hash (DT_HASH and vd_hash).
func ElfHash(name string) uint32 {
	var h uint32
	for i := 0; i < len(name); i++ {
		h = h<<4 + uint32(name[i])
		g := h & 0xf0000000
		if g != 0 {
			h ^= g >> 24
		}
		h &^= g
	}
	return h
}

// put writes little-endian words at an offset of the page.
type put struct{ b *[PageSize]byte }

func (p put) u16(off int, v uint16) { p.b[off], p.b[off+1] = byte(v), byte(v>>8) }
func (p put) u32(off int, v uint32) {
	p.b[off], p.b[off+1], p.b[off+2], p.b[off+3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
}
func (p put) str(off int, s string) { copy(p.b[off:], s) }

// shName returns the offset of a section's name in shstrtab.
func shName(name string) uint32 {
	for i := 0; i+len(name) < len(shstrtab); i++ {
		if shstrtab[i] == 0 && shstrtab[i+1:i+1+len(name)] == name && shstrtab[i+1+len(name)] == 0 {
			return uint32(i + 1)
		}
	}
	return 0
}

// Build writes the ELF page of the image into page (which it clears first)
// and returns the length of the code. The data page is the next page: its
// contents are Data, written by the kernel. Build does not allocate.
//
// The page is a constant, assembled when the source changes (image_data.go,
// which TestImageData holds to assemble's output) rather than at every
// boot: under emulation, running the assembler once cost the boot about
// 500 freshly translated blocks.
func Build(page *[PageSize]byte) (codeLen int) {
	*page = [PageSize]byte{}
	copy(page[:], imageData)
	return imageCodeLen
}

// assemble writes the ELF page as Build does, from the layout above and
// emitClockGettime; image_data.go is its output.
func assemble(page *[PageSize]byte) (codeLen int) {
	*page = [PageSize]byte{}
	a := asm{b: page, pc: textOff}
	emitClockGettime(&a, PageSize)
	codeLen = a.pc - textOff
	p := put{page}

	// ELF header.
	p.str(0, "\x7fELF\x01\x01\x01") // 32-bit, little-endian, version 1
	p.u16(16, etDyn)
	p.u16(18, emI386)
	p.u32(20, 1) // e_version
	p.u32(28, uint32(phdrOff))
	p.u32(32, uint32(shdrOff))
	p.u16(40, ehdrSize)
	p.u16(42, 32) // e_phentsize
	p.u16(44, phnum)
	p.u16(46, 40) // e_shentsize
	p.u16(48, shnum)
	p.u16(50, shnum-1) // .shstrtab is the last section

	// Program headers: the ELF page (the data page is not part of the
	// object, as Linux's vvar page is not), and the dynamic section.
	phdr := func(i int, typ, off, size, flags, align uint32) {
		o := phdrOff + i*32
		p.u32(o, typ)
		p.u32(o+4, off)   // p_offset
		p.u32(o+8, off)   // p_vaddr
		p.u32(o+12, off)  // p_paddr
		p.u32(o+16, size) // p_filesz
		p.u32(o+20, size) // p_memsz
		p.u32(o+24, flags)
		p.u32(o+28, align)
	}
	phdr(0, ptLoad, 0, PageSize, pfR|pfX, PageSize)
	phdr(1, ptDynamic, dynOff, dynCount*8, pfR, 4)

	// Dynamic section.
	dyn := [dynCount][2]uint32{
		{dtHash, uint32(hashOff)}, {dtStrtab, uint32(strOff)}, {dtSymtab, uint32(symOff)},
		{dtStrsz, uint32(len(dynstr))}, {dtSyment, 16}, {dtVersym, uint32(versymOff)},
		{dtVerdef, uint32(verdefOff)}, {dtVerdefnum, 2}, {dtNull, 0},
	}
	for i, e := range dyn {
		p.u32(dynOff+i*8, e[0])
		p.u32(dynOff+i*8+4, e[1])
	}

	// Hash table: one bucket holding symbol 1, whose chain ends.
	p.u32(hashOff, 1)      // nbucket
	p.u32(hashOff+4, nsym) // nchain
	p.u32(hashOff+8, 1)    // bucket[0]
	// chain[0] and chain[1] stay 0.

	// Symbols: 0 is the null symbol.
	p.u32(symOff+16, uint32(nameGettime))
	p.u32(symOff+16+4, uint32(textOff)) // st_value
	p.u32(symOff+16+8, uint32(codeLen))
	p.b[symOff+16+12] = stbGlobal<<4 | sttFunc
	p.u16(symOff+16+14, shText)

	p.str(strOff, dynstr)

	// Symbol versions: the null symbol is local (0), the function
	// LINUX_2.6 (2).
	p.u16(versymOff+2, 2)

	// Version definitions: the object itself (base, index 1), then
	// LINUX_2.6 (index 2).
	verdef := func(o int, flags, ndx uint16, name int, next uint32) {
		p.u16(o, 1) // vd_version
		p.u16(o+2, flags)
		p.u16(o+4, ndx)
		p.u16(o+6, 1) // vd_cnt
		p.u32(o+8, ElfHash(dynstr[name:name+indexNUL(dynstr[name:])]))
		p.u32(o+12, 20) // vd_aux: the Verdaux follows
		p.u32(o+16, next)
		p.u32(o+20, uint32(name)) // vda_name
		// vda_next stays 0.
	}
	verdef(verdefOff, verFlgBase, 1, nameSO, 28)
	verdef(verdefOff+28, 0, 2, nameVersion, 0)

	p.str(shstrOff, shstrtab)

	// Section headers (index 0 stays null).
	sh := func(i int, name string, typ, flags uint32, off int, size, link, info, align, entsize uint32) {
		o := shdrOff + i*40
		p.u32(o, shName(name))
		p.u32(o+4, typ)
		p.u32(o+8, flags)
		if flags&shfAlloc != 0 {
			p.u32(o+12, uint32(off)) // sh_addr
		}
		p.u32(o+16, uint32(off))
		p.u32(o+20, size)
		p.u32(o+24, link)
		p.u32(o+28, info)
		p.u32(o+32, align)
		p.u32(o+36, entsize)
	}
	sh(1, ".hash", shtHash, shfAlloc, hashOff, (2+1+nsym)*4, 2, 0, 4, 4)
	sh(2, ".dynsym", shtDynsym, shfAlloc, symOff, nsym*16, 3, 1, 4, 16)
	sh(3, ".dynstr", shtStrtab, shfAlloc, strOff, uint32(len(dynstr)), 0, 0, 1, 0)
	sh(4, ".gnu.version", shtVersym, shfAlloc, versymOff, nsym*2, 2, 0, 2, 2)
	sh(5, ".gnu.version_d", shtVerdef, shfAlloc, verdefOff, verdefLen, 3, 2, 4, 0)
	sh(6, ".dynamic", shtDynamic, shfAlloc, dynOff, dynCount*8, 3, 0, 4, 8)
	sh(shText, ".text", shtProgbits, shfAlloc|shfExec, textOff, uint32(codeLen), 0, 0, 16, 0)
	sh(8, ".shstrtab", shtStrtab, 0, shstrOff, uint32(len(shstrtab)), 0, 0, 1, 0)
	return codeLen
}

func indexNUL(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return i
		}
	}
	return len(s)
}

// Symbol is the offset of __vdso_clock_gettime in the image (the test
// checks it against the symbol table).
const Symbol = textOff
