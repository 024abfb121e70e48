// Package elf32 reads what the kernel needs of a static i386 ELF
// executable: its header and program headers. exec needs nothing else, so
// the kernel does without debug/elf, which also parses the section headers
// and names of every program it runs and pulls debug/dwarf and the
// compressors into the kernel (their package initialisation alone cost the
// boot about 10 ms under emulation).
package elf32

import (
	"encoding/binary"
	"fmt"
)

// Values from the System V ABI and its i386 supplement.
const (
	ETExec = 2 // e_type of an executable
	EM386  = 3 // e_machine

	PTLoad    = 1
	PTDynamic = 2
	PTInterp  = 3

	PFX = 1
	PFW = 2
	PFR = 4

	ehdrSize  = 52
	phentSize = 32
)

// Prog is one program header.
type Prog struct {
	Type   uint32
	Off    uint32 // p_offset
	Vaddr  uint32
	Filesz uint32
	Memsz  uint32
	Flags  uint32
	Align  uint32
}

// Exec is an executable's header and program headers.
type Exec struct {
	Type  uint16
	Entry uint32
	Phoff uint32 // e_phoff: where the program headers are in the file
	Progs []Prog
}

// Parse reads data's ELF header and program headers. It checks that data
// is a 32-bit little-endian i386 ELF file of the current version whose
// program headers lie within it; the caller checks the type and the
// segments against what it will map.
func Parse(data []byte) (*Exec, error) {
	if len(data) < ehdrSize {
		return nil, fmt.Errorf("%d bytes, shorter than an ELF header", len(data))
	}
	if string(data[:4]) != "\x7fELF" {
		return nil, fmt.Errorf("no ELF magic")
	}
	if data[4] != 1 || data[5] != 1 {
		return nil, fmt.Errorf("not a 32-bit little-endian ELF file (class %d, data %d)", data[4], data[5])
	}
	le := binary.LittleEndian
	if data[6] != 1 || le.Uint32(data[20:]) != 1 {
		return nil, fmt.Errorf("ELF version %d/%d, want 1", data[6], le.Uint32(data[20:]))
	}
	if m := le.Uint16(data[18:]); m != EM386 {
		return nil, fmt.Errorf("machine %d, not i386", m)
	}
	e := &Exec{Type: le.Uint16(data[16:]), Entry: le.Uint32(data[24:]), Phoff: le.Uint32(data[28:])}
	phentsize, phnum := le.Uint16(data[42:]), int(le.Uint16(data[44:]))
	if phnum == 0xffff {
		return nil, fmt.Errorf("extended program header numbering is not supported")
	}
	if phnum == 0 {
		return e, nil
	}
	if phentsize != phentSize {
		return nil, fmt.Errorf("program header size %d, want %d", phentsize, phentSize)
	}
	if uint64(e.Phoff)+uint64(phnum)*phentSize > uint64(len(data)) {
		return nil, fmt.Errorf("%d program headers at %#x run past the end of the file (%d bytes)", phnum, e.Phoff, len(data))
	}
	e.Progs = make([]Prog, phnum)
	for i := range e.Progs {
		b := data[e.Phoff+uint32(i)*phentSize:]
		e.Progs[i] = Prog{
			Type: le.Uint32(b), Off: le.Uint32(b[4:]), Vaddr: le.Uint32(b[8:]),
			Filesz: le.Uint32(b[16:]), Memsz: le.Uint32(b[20:]), Flags: le.Uint32(b[24:]), Align: le.Uint32(b[28:]),
		}
	}
	return e, nil
}
