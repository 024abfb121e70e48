package tests

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"strings"
	"testing"
)

// kernelSpec describes a synthetic kernel ELF for testing checkKernel.
type kernelSpec struct {
	machine elf.Machine
	typ     elf.Type
	base    uint32 // virtual address of the file's first byte
	phys    uint32 // physical load address
	entry   uint32 // 0: the start of .text
	noSyms  bool
}

// buildELF writes a minimal ELF32 executable: one PT_LOAD segment covering
// the whole file, .text, and (unless noSyms) .symtab/.strtab.
func buildELF(t *testing.T, k kernelSpec) []byte {
	t.Helper()
	le := binary.LittleEndian
	const ehsize, phsize, shsize = 52, 32, 40
	text := bytes.Repeat([]byte{0x90}, 16)
	strtab := []byte("\x00kern_entry\x00")
	names := []string{"", ".text", ".symtab", ".strtab", ".shstrtab"}
	var shstr bytes.Buffer
	nameOff := map[string]uint32{}
	for _, n := range names {
		nameOff[n] = uint32(shstr.Len())
		shstr.WriteString(n + "\x00")
	}
	textOff := uint32(ehsize + phsize)
	textAddr := k.base + textOff
	var syms bytes.Buffer
	binary.Write(&syms, le, []elf.Sym32{{}, {Name: 1, Value: textAddr, Size: 16,
		Info: elf.ST_INFO(elf.STB_GLOBAL, elf.STT_FUNC), Shndx: 1}})
	symOff := textOff + uint32(len(text))
	strOff := symOff + uint32(syms.Len())
	shstrOff := strOff + uint32(len(strtab))
	shOff := (shstrOff + uint32(shstr.Len()) + 3) &^ 3
	end := shOff + uint32(len(names))*shsize

	entry := k.entry
	if entry == 0 {
		entry = textAddr
	}
	var b bytes.Buffer
	h := elf.Header32{Type: uint16(k.typ), Machine: uint16(k.machine), Version: 1, Entry: entry,
		Phoff: ehsize, Shoff: shOff, Ehsize: ehsize, Phentsize: phsize, Phnum: 1,
		Shentsize: shsize, Shnum: uint16(len(names)), Shstrndx: uint16(len(names) - 1)}
	copy(h.Ident[:], elf.ELFMAG)
	h.Ident[elf.EI_CLASS], h.Ident[elf.EI_DATA], h.Ident[elf.EI_VERSION] = byte(elf.ELFCLASS32), byte(elf.ELFDATA2LSB), 1
	binary.Write(&b, le, h)
	binary.Write(&b, le, elf.Prog32{Type: uint32(elf.PT_LOAD), Vaddr: k.base, Paddr: k.phys,
		Filesz: end, Memsz: end, Flags: uint32(elf.PF_R | elf.PF_X), Align: 0x1000})
	b.Write(text)
	b.Write(syms.Bytes())
	b.Write(strtab)
	b.Write(shstr.Bytes())
	for uint32(b.Len()) < shOff {
		b.WriteByte(0)
	}
	shdrs := []elf.Section32{
		{},
		{Name: nameOff[".text"], Type: uint32(elf.SHT_PROGBITS), Flags: uint32(elf.SHF_ALLOC | elf.SHF_EXECINSTR),
			Addr: textAddr, Off: textOff, Size: uint32(len(text)), Addralign: 16},
		{Name: nameOff[".symtab"], Type: uint32(elf.SHT_SYMTAB), Off: symOff, Size: uint32(syms.Len()),
			Link: 3, Info: 1, Addralign: 4, Entsize: 16},
		{Name: nameOff[".strtab"], Type: uint32(elf.SHT_STRTAB), Off: strOff, Size: uint32(len(strtab)), Addralign: 1},
		{Name: nameOff[".shstrtab"], Type: uint32(elf.SHT_STRTAB), Off: shstrOff, Size: uint32(shstr.Len()), Addralign: 1},
	}
	if k.noSyms {
		shdrs[2].Type, shdrs[3].Type = uint32(elf.SHT_PROGBITS), uint32(elf.SHT_PROGBITS)
	}
	binary.Write(&b, le, shdrs)
	return b.Bytes()
}

func TestCheckKernel(t *testing.T) {
	good := kernelSpec{machine: elf.EM_386, typ: elf.ET_EXEC, base: uint32(KernelBase), phys: 0x100000}
	mod := func(f func(*kernelSpec)) kernelSpec { k := good; f(&k); return k }
	for _, tc := range []struct {
		name string
		k    kernelSpec
		want string // "" = no problems
	}{
		{"virtual entry", good, ""},
		{"physical entry", mod(func(k *kernelSpec) { k.entry = 0x100000 + 52 + 32 }), ""},
		{"x86-64", mod(func(k *kernelSpec) { k.machine = elf.EM_X86_64 }), "want EM_386"},
		{"shared object", mod(func(k *kernelSpec) { k.typ = elf.ET_DYN }), "want ET_EXEC"},
		{"low half", mod(func(k *kernelSpec) { k.base, k.phys = 0x100000, 0x100000 }), ".text at 0x100054"},
		{"entry outside", mod(func(k *kernelSpec) { k.entry = 0xC0200000 }), "entry 0xc0200000 is not"},
		{"stripped", mod(func(k *kernelSpec) { k.noSyms = true }), "no symbol table"},
	} {
		f, err := elf.NewFile(bytes.NewReader(buildELF(t, tc.k)))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		probs := strings.Join(checkKernel(f), "; ")
		if tc.want == "" && probs != "" || !strings.Contains(probs, tc.want) {
			t.Errorf("%s: problems %q, want %q", tc.name, probs, tc.want)
		}
	}
}

func TestCheckImage(t *testing.T) {
	img := make([]byte, 4*sectorSize)
	img[510], img[511] = 0x55, 0xAA
	if p := checkImage(img); len(p) != 0 {
		t.Errorf("good image: %q", p)
	}
	if p := strings.Join(checkImage(img[:1000]), "; "); !strings.Contains(p, "multiple of 512") {
		t.Errorf("short image: %q", p)
	}
	img[511] = 0
	if p := strings.Join(checkImage(img), "; "); !strings.Contains(p, "boot signature") {
		t.Errorf("unsigned image: %q", p)
	}
	if p := checkImage(nil); len(p) != 1 {
		t.Errorf("empty image: %q", p)
	}
}
