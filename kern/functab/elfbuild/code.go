package elfbuild

import (
	"gojos/kern/functab"

	"debug/elf"
	"errors"
)

// EntryCode returns a function's first bytes from the ELF's .text: at most
// max of them, fewer when the function or .text ends first (nil outside
// .text). The host tools and tests use it where the kernel reads its own
// memory: the patch rules decode a function's entry from it.
func EntryCode(f *elf.File, max uint32) (func(fn *functab.Func) []byte, error) {
	text := f.Section(".text")
	if text == nil || text.Type != elf.SHT_PROGBITS {
		return nil, errors.New("no .text section")
	}
	data, err := text.Data()
	if err != nil {
		return nil, err
	}
	return func(fn *functab.Func) []byte {
		off := uint64(fn.Entry) - text.Addr
		if uint64(fn.Entry) < text.Addr || off >= uint64(len(data)) {
			return nil
		}
		return data[off:min(off+uint64(min(fn.Size, max)), uint64(len(data)))]
	}, nil
}
