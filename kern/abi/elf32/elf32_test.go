package elf32

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"os"
	"testing"
)

// exe is a small valid executable: the header and two program headers.
func exe() []byte {
	b := make([]byte, 0x200)
	copy(b, "\x7fELF\x01\x01\x01")
	le := binary.LittleEndian
	le.PutUint16(b[16:], ETExec)
	le.PutUint16(b[18:], EM386)
	le.PutUint32(b[20:], 1)
	le.PutUint32(b[24:], 0x08049000)
	le.PutUint32(b[28:], ehdrSize)
	le.PutUint16(b[40:], ehdrSize)
	le.PutUint16(b[42:], phentSize)
	le.PutUint16(b[44:], 2)
	ph := func(i int, p Prog) {
		o := ehdrSize + i*phentSize
		for k, v := range []uint32{p.Type, p.Off, p.Vaddr, p.Vaddr, p.Filesz, p.Memsz, p.Flags, p.Align} {
			le.PutUint32(b[o+4*k:], v)
		}
	}
	ph(0, Prog{Type: PTLoad, Off: 0, Vaddr: 0x08048000, Filesz: 0x200, Memsz: 0x200, Flags: PFR | PFX, Align: 0x1000})
	ph(1, Prog{Type: PTLoad, Off: 0x100, Vaddr: 0x0804a100, Filesz: 0x80, Memsz: 0x1000, Flags: PFR | PFW, Align: 0x1000})
	return b
}

func TestParse(t *testing.T) {
	e, err := Parse(exe())
	if err != nil {
		t.Fatal(err)
	}
	if e.Type != ETExec || e.Entry != 0x08049000 || e.Phoff != ehdrSize || len(e.Progs) != 2 {
		t.Fatalf("got %+v", e)
	}
	if p := e.Progs[1]; p != (Prog{Type: PTLoad, Off: 0x100, Vaddr: 0x0804a100, Filesz: 0x80, Memsz: 0x1000, Flags: PFR | PFW, Align: 0x1000}) {
		t.Errorf("program header 1: %+v", p)
	}
}

func TestParseRefuses(t *testing.T) {
	le := binary.LittleEndian
	for name, mutate := range map[string]func(b []byte) []byte{
		"short":      func(b []byte) []byte { return b[:40] },
		"magic":      func(b []byte) []byte { b[1] = 'X'; return b },
		"64-bit":     func(b []byte) []byte { b[4] = 2; return b },
		"big-endian": func(b []byte) []byte { b[5] = 2; return b },
		"version":    func(b []byte) []byte { le.PutUint32(b[20:], 2); return b },
		"machine":    func(b []byte) []byte { le.PutUint16(b[18:], 62); return b },
		"phentsize":  func(b []byte) []byte { le.PutUint16(b[42:], 28); return b },
		"phnum":      func(b []byte) []byte { le.PutUint16(b[44:], 20); return b },
		"phoff":      func(b []byte) []byte { le.PutUint32(b[28:], 0xfffffff0); return b },
		"pn_xnum":    func(b []byte) []byte { le.PutUint16(b[44:], 0xffff); return b },
	} {
		if e, err := Parse(mutate(exe())); err == nil {
			t.Errorf("%s: accepted: %+v", name, e)
		}
	}
}

// TestRealExecutable parses this test's own binary when it is an i386 ELF
// (GOARCH=386 on Linux) and compares with debug/elf.
func TestRealExecutable(t *testing.T) {
	data, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Skip(err)
	}
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil || f.Machine != elf.EM_386 {
		t.Skip("not an i386 ELF executable")
	}
	compare(t, data, f)
}

// compare checks Parse's reading of data against debug/elf's.
func compare(t *testing.T, data []byte, f *elf.File) {
	t.Helper()
	e, err := Parse(data)
	if err != nil {
		t.Fatalf("debug/elf reads it, Parse does not: %v", err)
	}
	if e.Type != uint16(f.Type) || uint64(e.Entry) != f.Entry || len(e.Progs) != len(f.Progs) {
		t.Fatalf("Parse: type %d entry %#x %d programs; debug/elf: %v %#x %d", e.Type, e.Entry, len(e.Progs), f.Type, f.Entry, len(f.Progs))
	}
	for i, p := range f.Progs {
		q := e.Progs[i]
		if uint32(p.Type) != q.Type || uint32(p.Flags) != q.Flags || p.Off != uint64(q.Off) || p.Vaddr != uint64(q.Vaddr) ||
			p.Filesz != uint64(q.Filesz) || p.Memsz != uint64(q.Memsz) || p.Align != uint64(q.Align) {
			t.Errorf("program header %d: Parse %+v, debug/elf %+v", i, q, p.ProgHeader)
		}
	}
}

// FuzzParse: Parse never panics, and whatever debug/elf reads as an i386
// ELF32 little-endian file, Parse reads the same way.
func FuzzParse(f *testing.F) {
	f.Add(exe())
	f.Add(exe()[:ehdrSize])
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := Parse(data)
		if err == nil && len(e.Progs) > 0 && uint64(e.Phoff)+uint64(len(e.Progs))*phentSize > uint64(len(data)) {
			t.Fatalf("program headers past the end accepted")
		}
		ef, ferr := elf.NewFile(bytes.NewReader(data))
		if ferr != nil || ef.Class != elf.ELFCLASS32 || ef.Data != elf.ELFDATA2LSB || ef.Machine != elf.EM_386 {
			return
		}
		switch {
		case binary.LittleEndian.Uint16(data[44:]) == 0xffff:
			return // debug/elf takes the count from section 0; Parse refuses
		case binary.LittleEndian.Uint32(data[20:]) != 1:
			return // debug/elf compares only e_version's low byte; Parse all of it
		case binary.LittleEndian.Uint16(data[44:]) != 0 && binary.LittleEndian.Uint16(data[42:]) != phentSize:
			return // debug/elf takes larger entries too; Parse, as Linux, only the ABI's size
		}
		compare(t, data, ef)
	})
}
