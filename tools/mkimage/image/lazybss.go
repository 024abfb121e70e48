package image

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
)

// The lazy BSS. The kernel's BSS ends with objects that are large and
// usually never touched — the Go standard library's FIPS 140 entropy
// scratch buffer alone is 32 MiB, linked into every program that uses
// crypto. The loader would zero and reserve all of it, so that a 32 MiB
// machine could not even load the kernel. mkimage therefore shortens the
// last PT_LOAD segment of the kernel copy it puts in the image to end
// before that tail; the kernel (kern/shim, vm_386.go) maps the rest of its
// BSS on demand, zeroed on first touch, from its own symbol [end].
//
// The tail: the objects at the end of the BSS, each at least LazyMinSize,
// none belonging to the trap tier (which must never fault on its own data
// while it handles a fault).

// LazyMinSize is the smallest object left to demand paging.
const LazyMinSize = 1 << 20

// trapTierPackages may not be demand-paged: the trap tier and what it
// reaches while it handles a page fault.
var trapTierPackages = []string{
	"gojos/kern/shim.", "gojos/kern/arch/", "gojos/kern/mm.", "gojos/kern/sched.",
	"gojos/kern/kabi.", "gojos/kern/bootinfo.", "gojos/kern/kinfo.",
}

// bssSym is an object of the BSS: [Addr, Addr+Size).
type bssSym struct {
	Name       string
	Addr, Size uint64
}

// lazyStart returns the page-aligned address from which the BSS part
// [bssStart, end) of a segment may be demand-paged, given the objects in
// it; ok is false when no tail qualifies.
func lazyStart(syms []bssSym, bssStart, end uint64) (start uint64, ok bool) {
	sort.Slice(syms, func(i, j int) bool { return syms[i].Addr > syms[j].Addr })
	limit := end // the lowest address covered so far
	for _, s := range syms {
		if s.Addr < bssStart || s.Addr+s.Size > end {
			continue
		}
		if s.Addr+s.Size < limit-min(limit, PageSize) || s.Size < LazyMinSize || trapTier(s.Name) {
			break // a gap of a page or more, a small object, or the trap tier's own
		}
		limit = s.Addr
	}
	start = (limit + PageSize - 1) &^ (PageSize - 1)
	if start >= end&^(PageSize-1) || start < bssStart {
		return 0, false
	}
	return start, true
}

func trapTier(name string) bool {
	for _, p := range trapTierPackages {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// PageSize is the i386 page size.
const PageSize = 4096

// ShrinkLazyBSS returns a copy of the kernel ELF whose last PT_LOAD ends
// where its lazy BSS starts (memsz reduced), and that address; the kernel
// unchanged and 0 when nothing is lazy.
func ShrinkLazyBSS(kernel []byte) ([]byte, uint64, error) {
	f, err := elf.NewFile(bytes.NewReader(kernel))
	if err != nil {
		return nil, 0, fmt.Errorf("kernel: %v", err)
	}
	defer f.Close()
	last := -1
	for i, p := range f.Progs {
		if p.Type == elf.PT_LOAD && p.Memsz > 0 {
			last = i
		}
	}
	if last < 0 {
		return kernel, 0, nil
	}
	p := f.Progs[last]
	syms, err := f.Symbols()
	if err != nil {
		return kernel, 0, nil // no symbols: the kernel keeps its whole BSS
	}
	var objs []bssSym
	for _, s := range syms {
		if elf.ST_TYPE(s.Info) == elf.STT_OBJECT && s.Size > 0 {
			objs = append(objs, bssSym{s.Name, s.Value, s.Size})
		}
	}
	start, ok := lazyStart(objs, p.Vaddr+p.Filesz, p.Vaddr+p.Memsz)
	if !ok {
		return kernel, 0, nil
	}
	out := append([]byte(nil), kernel...)
	phoff := binary.LittleEndian.Uint32(kernel[28:]) // e_phoff
	phent := binary.LittleEndian.Uint16(kernel[42:]) // e_phentsize
	memszAt := int(phoff) + last*int(phent) + 20     // p_memsz in Elf32_Phdr
	if memszAt+4 > len(out) {
		return nil, 0, fmt.Errorf("kernel: program header %d outside the file", last)
	}
	binary.LittleEndian.PutUint32(out[memszAt:], uint32(start-p.Vaddr))
	return out, start, nil
}
