package main

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"gojos/kern/module/elfrel"
)

// verdict is what the kernel's loader code (kern/module/elfrel, run on the host)
// makes of a mutant: the same steps in the same order as kern/module.Load.
type verdict struct {
	loads bool
	name  string // the module name it loads under
	same  bool   // loads with the base's code, data and init/exit entry points
	err   string // the refusal
	class string // its class (elfrel.Err*)
	panic string // the loader panicked: a bug
	took  time.Duration
}

// hostBases are the region addresses for host relocation (page-aligned, far apart).
var hostBases = [elfrel.NumRegions]uint32{0xd0000000, 0xd2000000, 0xd4000000}

// KABIAddr is where the host pretends the kernel's kprintf is.
const KABIAddr = 0xc0105000

func hostKABI(name string) (uint32, error) {
	if name == "kprintf" {
		return KABIAddr, nil
	}
	return 0, errors.New("not exported")
}

var classes = []struct {
	err  error
	name string
}{
	{elfrel.ErrNotELF, "not-elf"}, {elfrel.ErrUnsupported, "unsupported"}, {elfrel.ErrMalformed, "malformed"},
	{elfrel.ErrReloc, "reloc"}, {elfrel.ErrUndefined, "undefined"},
}

// loadHost runs the loader's steps; img is nil if it refused.
func loadHost(data []byte, file string) (img *elfrel.Image, name string, err error) {
	o, err := elfrel.Parse(data)
	if err != nil {
		return nil, "", err
	}
	img, err = elfrel.Layout(o)
	if err != nil {
		return nil, "", err
	}
	name, err = img.ModuleName(file)
	if err != nil {
		return nil, "", err
	}
	if err := elfrel.Relocate(img, hostBases, hostKABI); err != nil {
		return nil, "", err
	}
	return img, name, nil
}

// classify loads data as file on the host and compares the result with ref (the
// base module loaded the same way; nil when classifying the base itself).
func classify(data []byte, file string, ref *elfrel.Image) (v verdict) {
	start := time.Now()
	defer func() {
		v.took = time.Since(start)
		if p := recover(); p != nil {
			v = verdict{panic: fmt.Sprint(p), took: time.Since(start)}
		}
	}()
	img, name, err := loadHost(data, file)
	if err != nil {
		v.err = Reason(err.Error())
		v.class = "unclassified"
		for _, c := range classes {
			if errors.Is(err, c.err) {
				v.class = c.name
			}
		}
		return v
	}
	v.loads, v.name = true, name
	v.same = ref != nil && sameImage(img, ref)
	return v
}

// sameImage reports whether two loaded images have the same bytes in every region
// and the same init and exit entry points: a mutant that loads the same way runs
// the same code.
func sameImage(a, b *elfrel.Image) bool {
	for r := range a.Regions {
		if !bytes.Equal(a.Regions[r].Bytes, b.Regions[r].Bytes) {
			return false
		}
	}
	ai, aok := a.Init()
	bi, bok := b.Init()
	ae, aeok := a.Exit()
	be, beok := b.Exit()
	return ai == bi && aok == bok && ae == be && aeok == beok
}

// Reason is a refusal as the tools show it: the kernel's text with surrounding
// space trimmed (as kctl does), quoted as a Go string so that it stays one line.
func Reason(msg string) string { return fmt.Sprintf("%q", strings.TrimSpace(msg)) }

// manifestVerdict is the verdict's MANIFEST field: "load NAME", "load-changed
// NAME" or "refuse REASON" (REASON quoted).
func (v verdict) manifestVerdict() string {
	switch {
	case v.panic != "":
		return "panic " + fmt.Sprintf("%q", v.panic)
	case v.loads && v.same:
		return "load " + v.name
	case v.loads:
		return "load-changed " + v.name
	}
	return "refuse " + v.err
}
