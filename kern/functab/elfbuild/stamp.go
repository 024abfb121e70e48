package elfbuild

import (
	"gojos/kern/functab"

	"bytes"
	"debug/elf"
	"errors"
	"fmt"
)

// Stamp and ReadStamp write and read the kernel's own copy of its image
// hash: the variable functab.StampSymbol, whose initial value is
// functab.StampMarker.

// stampSite returns the file offset of symbol's 32 bytes in the ELF.
func stampSite(f *elf.File, symbol string, size int) (off int, found bool, err error) {
	syms, err := f.Symbols()
	if errors.Is(err, elf.ErrNoSymbols) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("symbols: %v", err)
	}
	for _, s := range syms {
		if s.Name != symbol {
			continue
		}
		if s.Size != uint64(len(functab.StampMarker)) {
			return 0, true, fmt.Errorf("%s is %d bytes, want %d", symbol, s.Size, len(functab.StampMarker))
		}
		if int(s.Section) <= 0 || int(s.Section) >= len(f.Sections) {
			return 0, true, fmt.Errorf("%s is in no section (index %d)", symbol, s.Section)
		}
		sec := f.Sections[s.Section]
		switch {
		case sec.Name == ".text" || sec.Name == ".gopclntab":
			return 0, true, fmt.Errorf("%s is in %s, which the image hash covers", symbol, sec.Name)
		case sec.Type != elf.SHT_PROGBITS:
			return 0, true, fmt.Errorf("%s is in %s (%v), which has no bytes in the file", symbol, sec.Name, sec.Type)
		case s.Value < sec.Addr || s.Value-sec.Addr > sec.Size-s.Size:
			return 0, true, fmt.Errorf("%s at %#x lies outside its section %s", symbol, s.Value, sec.Name)
		}
		o := sec.Offset + (s.Value - sec.Addr)
		if o+s.Size > uint64(size) {
			return 0, true, fmt.Errorf("%s at file offset %#x lies past the end of the file", symbol, o)
		}
		return int(o), true, nil
	}
	return 0, false, nil
}

// Stamp returns the kernel ELF with ImageHash written over the variable
// symbol (StampSymbol for the kernel), which must hold StampMarker or
// already that hash. A kernel without the symbol is returned unchanged with
// stamped false.
func Stamp(kernel []byte, symbol string) (out []byte, stamped bool, err error) {
	f, err := elf.NewFile(bytes.NewReader(kernel))
	if err != nil {
		return nil, false, err
	}
	off, found, err := stampSite(f, symbol, len(kernel))
	if err != nil || !found {
		return kernel, false, err
	}
	h, err := ImageHash(f)
	if err != nil {
		return nil, false, err
	}
	cur := kernel[off : off+len(functab.StampMarker)]
	if string(cur) != functab.StampMarker && !bytes.Equal(cur, h[:]) {
		return nil, false, fmt.Errorf("%s holds %x, neither the marker nor this kernel's image hash", symbol, cur)
	}
	out = bytes.Clone(kernel)
	copy(out[off:], h[:])
	return out, true, nil
}

// ReadStamp returns the bytes of the variable symbol in the kernel ELF:
// the image hash once Stamp has run, StampMarker before.
func ReadStamp(kernel []byte, symbol string) ([32]byte, error) {
	var v [32]byte
	f, err := elf.NewFile(bytes.NewReader(kernel))
	if err != nil {
		return v, err
	}
	off, found, err := stampSite(f, symbol, len(kernel))
	if err != nil {
		return v, err
	}
	if !found {
		return v, fmt.Errorf("no symbol %s", symbol)
	}
	copy(v[:], kernel[off:])
	return v, nil
}
