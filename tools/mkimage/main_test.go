package main

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"gojos/tools/mkimage/image"
)

// testKernel is a minimal ELF32 EM_386 ET_EXEC with one PT_LOAD at 0xC0100000.
func testKernel() []byte {
	b := make([]byte, 0x100)
	le := binary.LittleEndian
	copy(b, "\x7fELF\x01\x01\x01")
	le.PutUint16(b[16:], 2)          // ET_EXEC
	le.PutUint16(b[18:], 3)          // EM_386
	le.PutUint32(b[20:], 1)          // EV_CURRENT
	le.PutUint32(b[24:], 0xC0100080) // e_entry
	le.PutUint32(b[28:], 52)         // e_phoff
	le.PutUint16(b[40:], 52)         // e_ehsize
	le.PutUint16(b[42:], 32)         // e_phentsize
	le.PutUint16(b[44:], 1)          // e_phnum
	p := b[52:]
	le.PutUint32(p[0:], 1)           // PT_LOAD
	le.PutUint32(p[8:], 0xC0100000)  // p_vaddr
	le.PutUint32(p[12:], 0xC0100000) // p_paddr
	le.PutUint32(p[16:], 0x100)      // p_filesz
	le.PutUint32(p[20:], 0x1000)     // p_memsz
	le.PutUint32(p[24:], 5)          // PF_R|PF_X
	return b
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	boot := make([]byte, 600)
	boot[510], boot[511] = 0x55, 0xAA
	o := options{
		boot:    write("boot.bin", boot),
		kernel:  write("kernel.elf", testKernel()),
		initrd:  write("initrd.tar", []byte("archive")),
		cmdline: "debug",
		out:     filepath.Join(dir, "jos.img"),
	}
	if err := run(o); err != nil {
		t.Fatal(err)
	}
	img, err := os.ReadFile(o.out)
	if err != nil {
		t.Fatal(err)
	}
	h, err := image.ParseHeader(img[image.HeaderLBA*image.SectorSize:])
	if err != nil {
		t.Fatal(err)
	}
	if h.Cmdline != "debug" || h.InitrdSize != 7 || !bytes.Equal(img[:600], boot) {
		t.Errorf("unexpected image: header %+v", h)
	}

	bad := o
	bad.kernel = o.boot // not an ELF
	bad.out = filepath.Join(dir, "bad.img")
	if err := run(bad); err == nil {
		t.Error("non-ELF kernel accepted")
	}
	if _, err := os.Stat(bad.out); !os.IsNotExist(err) {
		t.Error("failed run left an output file")
	}
	if err := run(options{boot: o.boot, out: o.out}); err == nil {
		t.Error("missing --kernel accepted")
	}
}
