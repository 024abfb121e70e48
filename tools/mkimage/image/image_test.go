package image

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"strings"
	"testing"
)

// kernelSpec describes a synthetic kernel ELF for tests.
type kernelSpec struct {
	class   elf.Class
	machine elf.Machine
	typ     elf.Type
	vaddr   uint32
	entry   uint32
	flags   elf.ProgFlag
	filesz  uint32
	memsz   uint32
}

func goodSpec() kernelSpec {
	return kernelSpec{
		class: elf.ELFCLASS32, machine: elf.EM_386, typ: elf.ET_EXEC,
		vaddr: 0xC0100000, entry: 0xC0100080, flags: elf.PF_R | elf.PF_X,
		filesz: 0x100, memsz: 0x2000,
	}
}

// makeKernel builds an ELF with one PT_LOAD that maps the file from offset 0.
func makeKernel(t *testing.T, s kernelSpec) []byte {
	t.Helper()
	var b bytes.Buffer
	le := binary.LittleEndian
	if s.class == elf.ELFCLASS64 {
		h := elf.Header64{Type: uint16(s.typ), Machine: uint16(s.machine), Version: 1,
			Ehsize: 64, Phentsize: 56}
		copy(h.Ident[:], elf.ELFMAG)
		h.Ident[elf.EI_CLASS], h.Ident[elf.EI_DATA], h.Ident[elf.EI_VERSION] = byte(s.class), 1, 1
		binary.Write(&b, le, &h)
		return b.Bytes()
	}
	h := elf.Header32{Type: uint16(s.typ), Machine: uint16(s.machine), Version: 1,
		Entry: s.entry, Phoff: 52, Ehsize: 52, Phentsize: 32, Phnum: 1}
	copy(h.Ident[:], elf.ELFMAG)
	h.Ident[elf.EI_CLASS], h.Ident[elf.EI_DATA], h.Ident[elf.EI_VERSION] = byte(s.class), 1, 1
	p := elf.Prog32{Type: uint32(elf.PT_LOAD), Off: 0, Vaddr: s.vaddr, Paddr: s.vaddr,
		Filesz: s.filesz, Memsz: s.memsz, Flags: uint32(s.flags), Align: 0x1000}
	binary.Write(&b, le, &h)
	binary.Write(&b, le, &p)
	for b.Len() < 0x100 {
		b.WriteByte(0x90)
	}
	return b.Bytes()
}

func bootBin(stage2 int) []byte {
	b := make([]byte, SectorSize+stage2)
	b[0] = 0xFA
	b[510], b[511] = 0x55, 0xAA
	for i := SectorSize; i < len(b); i++ {
		b[i] = 0xCC
	}
	return b
}

func TestHeaderRoundTripAndOffsets(t *testing.T) {
	h := Header{KernelLBA: 65, KernelSize: 1234, InitrdLBA: 68, InitrdSize: 99,
		TotalSectors: 2048, Cmdline: "console=ttyS0 debug"}
	b, err := h.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 512 {
		t.Fatalf("header is %d bytes", len(b))
	}
	le := binary.LittleEndian
	for off, want := range map[int]uint32{0: HeaderMagic, 4: 1, 8: 512, 12: 0, 16: 65, 20: 1234,
		24: 68, 28: 99, 32: 19, 36: 2048} {
		if got := le.Uint32(b[off:]); got != want {
			t.Errorf("word at %d = %#x, want %#x", off, got, want)
		}
	}
	if string(b[0:4]) != "GJIM" || string(b[64:64+19]) != h.Cmdline || b[64+19] != 0 {
		t.Errorf("magic bytes or command line misplaced")
	}
	if wordSum(b) != 0 {
		t.Errorf("checksum does not cancel")
	}
	got, err := ParseHeader(b)
	if err != nil {
		t.Fatal(err)
	}
	if *got != h {
		t.Errorf("round trip: got %+v, want %+v", *got, h)
	}
	b[100] ^= 1
	if _, err := ParseHeader(b); err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("corrupted header: err = %v", err)
	}
}

func TestHeaderRejects(t *testing.T) {
	if _, err := (&Header{Cmdline: strings.Repeat("x", 256)}).Marshal(); err == nil {
		t.Error("256-byte command line accepted")
	}
	if _, err := (&Header{Cmdline: strings.Repeat("x", 255)}).Marshal(); err != nil {
		t.Errorf("255-byte command line: %v", err)
	}
	if _, err := (&Header{Cmdline: "a\x00b"}).Marshal(); err == nil {
		t.Error("command line with NUL accepted")
	}
}

func TestBuildLayout(t *testing.T) {
	kernel := makeKernel(t, goodSpec())
	initrd := bytes.Repeat([]byte("initrd"), 200) // 1200 bytes, 3 sectors
	c := Config{Boot: bootBin(1000), Kernel: kernel, Initrd: initrd, Cmdline: "quiet"}
	img, err := Build(c)
	if err != nil {
		t.Fatal(err)
	}
	img2, _ := Build(c)
	if !bytes.Equal(img, img2) {
		t.Error("Build is not deterministic")
	}
	if len(img) != MinImageSize {
		t.Errorf("image size %d, want %d", len(img), MinImageSize)
	}
	if !bytes.Equal(img[:SectorSize+1000], c.Boot) {
		t.Error("boot.bin not at LBA 0")
	}
	for _, x := range img[SectorSize+1000 : HeaderLBA*SectorSize] {
		if x != 0 {
			t.Fatal("stage 2 area not zero-padded (stage 2 .bss relies on it)")
		}
	}
	h, err := ParseHeader(img[HeaderLBA*SectorSize:])
	if err != nil {
		t.Fatal(err)
	}
	want := Header{KernelLBA: 65, KernelSize: uint32(len(kernel)), InitrdLBA: 66,
		InitrdSize: 1200, TotalSectors: MinImageSize / SectorSize, Cmdline: "quiet"}
	if *h != want {
		t.Errorf("header %+v, want %+v", *h, want)
	}
	if !bytes.Equal(img[65*SectorSize:][:len(kernel)], kernel) {
		t.Error("kernel not at LBA 65")
	}
	if !bytes.Equal(img[66*SectorSize:][:len(initrd)], initrd) {
		t.Error("initrd not at LBA 66")
	}

	// Large inputs: the image grows to a whole number of sectors.
	c.Initrd = make([]byte, MinImageSize)
	img, err = Build(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(img)%SectorSize != 0 || len(img) != (66+2048)*SectorSize {
		t.Errorf("large image is %d bytes", len(img))
	}
	// No initrd: both fields zero.
	c.Initrd = nil
	img, _ = Build(c)
	if h, _ := ParseHeader(img[HeaderLBA*SectorSize:]); h.InitrdLBA != 0 || h.InitrdSize != 0 {
		t.Errorf("no initrd: header %+v", h)
	}
}

func TestBuildRejects(t *testing.T) {
	good := makeKernel(t, goodSpec())
	mod := func(f func(*kernelSpec)) []byte {
		s := goodSpec()
		f(&s)
		return makeKernel(t, s)
	}
	short := bootBin(10)[:400]
	nosig := bootBin(10)
	nosig[511] = 0
	cases := []struct {
		name   string
		c      Config
		errSub string
	}{
		{"short boot", Config{Boot: short, Kernel: good}, "512-byte boot sector"},
		{"no signature", Config{Boot: nosig, Kernel: good}, "0x55 0xAA"},
		{"no stage 2", Config{Boot: bootBin(0), Kernel: good}, "no stage 2"},
		{"stage 2 too big", Config{Boot: bootBin(63*512 + 1), Kernel: good}, "at most 32256"},
		{"not ELF", Config{Boot: bootBin(10), Kernel: []byte("hello, world, not an elf file at all........................")}, "kernel:"},
		{"ELF64", Config{Boot: bootBin(10), Kernel: mod(func(s *kernelSpec) { s.class = elf.ELFCLASS64 })}, "ELFCLASS32"},
		{"x86-64", Config{Boot: bootBin(10), Kernel: mod(func(s *kernelSpec) { s.machine = elf.EM_X86_64 })}, "EM_386"},
		{"ET_DYN", Config{Boot: bootBin(10), Kernel: mod(func(s *kernelSpec) { s.typ = elf.ET_DYN })}, "ET_EXEC"},
		{"low vaddr", Config{Boot: bootBin(10), Kernel: mod(func(s *kernelSpec) { s.vaddr, s.entry = 0xC00FF000, 0xC00FF080 })}, "-T 0xC0101000"},
		{"filesz>memsz", Config{Boot: bootBin(10), Kernel: mod(func(s *kernelSpec) { s.memsz = 0x10 })}, "filesz > memsz"},
		{"past EOF", Config{Boot: bootBin(10), Kernel: mod(func(s *kernelSpec) { s.filesz, s.memsz = 0x10000, 0x10000 })}, "past the end"},
		{"entry outside", Config{Boot: bootBin(10), Kernel: mod(func(s *kernelSpec) { s.entry = 0xC0200000 })}, "entry point"},
		{"entry not exec", Config{Boot: bootBin(10), Kernel: mod(func(s *kernelSpec) { s.flags = elf.PF_R })}, "entry point"},
		{"long cmdline", Config{Boot: bootBin(10), Kernel: good, Cmdline: strings.Repeat("a", 300)}, "command line"},
	}
	for _, tc := range cases {
		_, err := Build(tc.c)
		if err == nil || !strings.Contains(err.Error(), tc.errSub) {
			t.Errorf("%s: err = %v, want it to mention %q", tc.name, err, tc.errSub)
		}
	}
}
