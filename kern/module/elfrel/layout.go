package elfrel

import "sort"

// Region is one of the module's memory regions, each mapped with its own permissions.
type Region int

// The regions.
const (
	Text   Region = iota // SHF_EXECINSTR sections: read + execute
	Rodata               // other read-only SHF_ALLOC sections: read
	Data                 // SHF_WRITE sections, NOBITS (bss) included: read + write
	NumRegions
)

var regionNames = [NumRegions]string{"text", "rodata", "data"}

func (r Region) String() string {
	if r >= 0 && r < NumRegions {
		return regionNames[r]
	}
	return "region?"
}

// MaxImageSize bounds the memory a module's regions may need together.
const MaxImageSize = 16 << 20

// Placement says where an allocated section lives.
type Placement struct {
	Placed bool
	Region Region
	Off    uint32 // offset within the region
}

// RegionImage is the content of one region.
type RegionImage struct {
	Bytes []byte // len(Bytes) is the region size; relocated in place by Relocate
	Align uint32 // the largest alignment of its sections: the base must be a multiple
}

// Image is an object laid out in regions.
type Image struct {
	Obj     *Object
	Regions [NumRegions]RegionImage
	Place   []Placement        // by section index
	Bases   [NumRegions]uint32 // region addresses, set by Relocate
	Info    map[string]string  // .modinfo key=value pairs
	Protos  map[string]string  // .gojos.proto: C prototypes by function name (protos.go)
	// Livepatch is the contents of .gojos.livepatch, a livepatch module's
	// patch table (kern/kpatch/livepatch decodes it); nil for other modules.
	Livepatch []byte
	Name      string // Info["name"], "" if absent
	relocd    bool   // Relocate succeeded
}

// Layout places every SHF_ALLOC section at an aligned offset in its region.
// Executable sections go to Text, writable ones to Data (NOBITS sections are
// zero-filled there), the rest to Rodata. A section both writable and executable,
// a TLS section, or a region larger than MaxImageSize is an error.
func Layout(o *Object) (*Image, error) {
	img := &Image{Obj: o, Place: make([]Placement, len(o.Sections))}
	var size [NumRegions]uint64
	for i := 1; i < len(o.Sections); i++ {
		s := &o.Sections[i]
		if !s.Alloc() || s.Type == SHT_NULL || s.Type == SHT_REL || s.Type == SHT_RELA || s.Name == ".modinfo" || s.Name == ProtoSection || s.Name == LivepatchSection {
			continue // .modinfo (and .gojos.proto, .gojos.livepatch) are read from the file, never loaded (as in Linux)
		}
		if !hasContents(s.Type) && s.Type != SHT_NOBITS {
			return nil, errorf(ErrUnsupported, "section %s: a %s section cannot be loaded (SHF_ALLOC)", o.describe(i), SectionTypeName(s.Type))
		}
		if s.Flags&SHF_EXECINSTR != 0 && s.Type == SHT_NOBITS {
			return nil, errorf(ErrMalformed, "section %s is executable but has no contents (SHT_NOBITS)", o.describe(i))
		}
		if s.Flags&SHF_TLS != 0 {
			return nil, errorf(ErrUnsupported, "section %s: thread-local storage is not supported in modules", s.Name)
		}
		r := Rodata
		switch {
		case s.Flags&SHF_EXECINSTR != 0 && s.Flags&SHF_WRITE != 0:
			return nil, errorf(ErrUnsupported, "section %s is both writable and executable", s.Name)
		case s.Flags&SHF_EXECINSTR != 0:
			r = Text
		case s.Flags&SHF_WRITE != 0 || s.Type == SHT_NOBITS:
			r = Data
		}
		align := s.Addralign
		if align == 0 {
			align = 1
		}
		if align > MaxAlign {
			return nil, errorf(ErrUnsupported, "section %s: alignment %d exceeds %d", s.Name, align, MaxAlign)
		}
		off := (size[r] + uint64(align) - 1) &^ (uint64(align) - 1)
		size[r] = off + uint64(s.Size)
		if size[r] > MaxImageSize {
			return nil, errorf(ErrUnsupported, "section %s: the module's %s would exceed %d bytes", s.Name, r, MaxImageSize)
		}
		if align > img.Regions[r].Align {
			img.Regions[r].Align = align
		}
		img.Place[i] = Placement{Placed: true, Region: r, Off: uint32(off)}
	}
	var total uint64
	for r := range img.Regions {
		total += size[r]
		if img.Regions[r].Align == 0 {
			img.Regions[r].Align = 1
		}
		img.Regions[r].Bytes = make([]byte, size[r])
	}
	if total > MaxImageSize {
		return nil, errorf(ErrUnsupported, "module needs %d bytes, more than %d", total, MaxImageSize)
	}
	if err := img.checkRelTargets(); err != nil {
		return nil, err
	}
	if err := img.checkSymbols(); err != nil {
		return nil, err
	}
	info, err := parseModInfo(o)
	if err != nil {
		return nil, err
	}
	img.Info, img.Name = info, info["name"]
	if img.Protos, err = parseProtos(o); err != nil {
		return nil, err
	}
	if err := img.checkProtos(); err != nil {
		return nil, err
	}
	if img.Livepatch, err = readLivepatch(o); err != nil {
		return nil, err
	}
	img.fill()
	return img, nil
}

// fill copies section contents into the regions and zeroes NOBITS sections.
func (img *Image) fill() {
	o := img.Obj
	for i, p := range img.Place {
		if !p.Placed {
			continue
		}
		s := &o.Sections[i]
		dst := img.Regions[p.Region].Bytes[p.Off : p.Off+s.Size]
		if s.Type == SHT_NOBITS {
			clear(dst)
		} else {
			copy(dst, o.contents(s))
		}
	}
}

// SectionAddr is the final address of allocated section i (after Relocate).
func (img *Image) SectionAddr(i int) (uint32, bool) {
	if i < 0 || i >= len(img.Place) || !img.Place[i].Placed {
		return 0, false
	}
	p := img.Place[i]
	return img.Bases[p.Region] + p.Off, true
}

// Export is a symbol the module defines, at its final address.
type Export struct {
	Name string
	Addr uint32
	Size uint32
	Func bool // STT_FUNC
	Weak bool
	// Proto is a function's declared C prototype (.gojos.proto), "" if none.
	Proto string
}

// Exports lists the global and weak symbols defined in allocated sections (or
// absolute), with final addresses, sorted by name. It is empty before Relocate.
func Exports(img *Image) []Export {
	if !img.relocd {
		return nil
	}
	var out []Export
	for _, s := range img.Obj.Symbols[1:] {
		b := s.Bind()
		if (b != STB_GLOBAL && b != STB_WEAK) || s.Name == "" || s.Shndx == SHN_UNDEF {
			continue
		}
		addr, ok := img.definedAddr(&s)
		if !ok {
			continue
		}
		e := Export{Name: s.Name, Addr: addr, Size: s.Size, Func: s.Type() == STT_FUNC, Weak: b == STB_WEAK}
		if e.Func {
			e.Proto = img.Protos[s.Name]
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// definedAddr is the final address of a symbol defined in the object.
func (img *Image) definedAddr(s *Symbol) (uint32, bool) {
	if s.Shndx == SHN_ABS {
		return s.Value, true
	}
	base, ok := img.SectionAddr(int(s.Shndx))
	if !ok || s.Value > img.Obj.Sections[s.Shndx].Size {
		return 0, false
	}
	return base + s.Value, true
}
