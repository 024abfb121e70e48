package image

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"

	"gojos/kern/functab"
	"gojos/kern/functab/elfbuild"
)

// Kernel placement rules the loader enforces (boot/layout.h); checked here
// too so a bad link fails at build time instead of at boot.
const (
	KernBase      uint64 = 0xC0000000
	KernelMinPhys uint64 = 0x00100000
)

// Config holds the inputs of an image.
type Config struct {
	Boot    []byte // boot.bin: 512-byte boot sector followed by stage 2
	Kernel  []byte // kernel ELF (ELF32, EM_386, ET_EXEC)
	Initrd  []byte // optional initrd archive
	Cmdline string // kernel command line, at most 255 bytes
}

// Build returns the raw disk image. The same Config always yields the same
// bytes.
func Build(c Config) ([]byte, error) {
	if err := CheckBoot(c.Boot); err != nil {
		return nil, err
	}
	if err := CheckKernel(c.Kernel); err != nil {
		return nil, err
	}
	// The kernel's own image hash, for checking its function table cheaply
	// (kern/functab/stamp.go); a kernel without the variable is left as is.
	kernel, _, err := elfbuild.Stamp(c.Kernel, functab.StampSymbol)
	if err != nil {
		return nil, fmt.Errorf("kernel: stamping its image hash: %v", err)
	}
	kernel, _, err = ShrinkLazyBSS(kernel)
	if err != nil {
		return nil, err
	}
	c.Kernel = kernel
	kernelLBA := uint64(DataLBA)
	initrdLBA := kernelLBA + sectors(len(c.Kernel))
	end := initrdLBA + sectors(len(c.Initrd))
	if end >= 1<<28 {
		return nil, fmt.Errorf("image needs %d sectors; the loader reads LBA28 (at most %d)", end, 1<<28)
	}
	total := end * SectorSize
	if total < MinImageSize {
		total = MinImageSize
	}
	h := Header{
		KernelLBA:    uint32(kernelLBA),
		KernelSize:   uint32(len(c.Kernel)),
		TotalSectors: uint32(total / SectorSize),
		Cmdline:      c.Cmdline,
	}
	if len(c.Initrd) > 0 {
		h.InitrdLBA = uint32(initrdLBA)
		h.InitrdSize = uint32(len(c.Initrd))
	}
	hdr, err := h.Marshal()
	if err != nil {
		return nil, err
	}
	img := make([]byte, total)
	copy(img, c.Boot) // boot sector and stage 2; the rest of LBA 1..63 stays zero
	copy(img[HeaderLBA*SectorSize:], hdr)
	copy(img[kernelLBA*SectorSize:], c.Kernel)
	copy(img[initrdLBA*SectorSize:], c.Initrd)
	return img, nil
}

func sectors(n int) uint64 {
	return (uint64(n) + SectorSize - 1) / SectorSize
}

// CheckBoot validates boot.bin: a boot sector ending in 0x55 0xAA, followed
// by a stage 2 that fits in LBA 1..63.
func CheckBoot(b []byte) error {
	if len(b) < SectorSize {
		return fmt.Errorf("boot image is %d bytes; want a 512-byte boot sector followed by stage 2", len(b))
	}
	if b[510] != 0x55 || b[511] != 0xAA {
		return fmt.Errorf("boot sector does not end with the 0x55 0xAA signature (got %#02x %#02x)", b[510], b[511])
	}
	if s2 := len(b) - SectorSize; s2 == 0 {
		return errors.New("boot image has no stage 2 after the boot sector")
	} else if s2 > Stage2Sectors*SectorSize {
		return fmt.Errorf("stage 2 is %d bytes; at most %d fit in LBA %d..%d",
			s2, Stage2Sectors*SectorSize, Stage2LBA, Stage2LBA+Stage2Sectors-1)
	}
	return nil
}

// CheckKernel validates the kernel ELF the way the loader will: ELFCLASS32,
// little endian, EM_386, ET_EXEC, PT_LOAD segments inside the file, at or
// above KernBase+1 MiB, sorted and non-overlapping, entry in an executable
// segment.
func CheckKernel(b []byte) error {
	f, err := elf.NewFile(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("kernel: %v", err)
	}
	defer f.Close()
	switch {
	case f.Class != elf.ELFCLASS32:
		return fmt.Errorf("kernel: class %v, want ELFCLASS32", f.Class)
	case f.Data != elf.ELFDATA2LSB:
		return fmt.Errorf("kernel: data encoding %v, want ELFDATA2LSB", f.Data)
	case f.Machine != elf.EM_386:
		return fmt.Errorf("kernel: machine %v, want EM_386", f.Machine)
	case f.Type != elf.ET_EXEC:
		return fmt.Errorf("kernel: type %v, want ET_EXEC", f.Type)
	}
	prevEnd := KernBase + KernelMinPhys
	loads, entryOK := 0, false
	for _, p := range f.Progs {
		if p.Type != elf.PT_LOAD || p.Memsz == 0 {
			continue
		}
		loads++
		switch {
		case p.Filesz > p.Memsz:
			return fmt.Errorf("kernel: PT_LOAD at %#x has filesz > memsz", p.Vaddr)
		case p.Off+p.Filesz > uint64(len(b)):
			return fmt.Errorf("kernel: PT_LOAD at %#x extends past the end of the file", p.Vaddr)
		case p.Vaddr < KernBase+KernelMinPhys:
			return fmt.Errorf("kernel: PT_LOAD at %#x is below %#x (link with -T 0xC0101000)",
				p.Vaddr, KernBase+KernelMinPhys)
		case p.Vaddr < prevEnd:
			return fmt.Errorf("kernel: PT_LOAD at %#x overlaps the previous one or is out of order", p.Vaddr)
		case p.Vaddr+p.Memsz > 1<<32:
			return fmt.Errorf("kernel: PT_LOAD at %#x wraps past 4 GiB", p.Vaddr)
		}
		prevEnd = p.Vaddr + p.Memsz
		if p.Flags&elf.PF_X != 0 && f.Entry >= p.Vaddr && f.Entry < p.Vaddr+p.Memsz {
			entryOK = true
		}
	}
	if loads == 0 {
		return errors.New("kernel: no PT_LOAD segment")
	}
	if !entryOK {
		return fmt.Errorf("kernel: entry point %#x is not in an executable PT_LOAD segment", f.Entry)
	}
	return nil
}
