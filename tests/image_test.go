// Package tests holds the checks on the built artifacts and the boot tests.
//
// image_test checks the files the build produces, without booting them: the
// kernel is a higher-half ELF32 i386 executable with symbols, and the disk
// image is whole sectors starting with a boot sector. Bazel passes the paths
// (see BUILD.bazel):
//
//	-image=$(rootpath //:image) -kernel=$(rootpath //kern:kernel) -boot=... -require
//
// Without -require, missing paths skip the artifact tests (plain `go test`).
package tests

import (
	"bytes"
	"debug/elf"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

var (
	imagePath  = flag.String("image", "", "raw disk image (jos.img)")
	kernelPath = flag.String("kernel", "", "kernel ELF")
	bootPath   = flag.String("boot", "", "boot sector/loader as a raw binary (optional)")
	require    = flag.Bool("require", false, "fail instead of skipping when a path is not given")
)

// KernelBase is where the kernel is linked: KERNBASE 0xC0000000 plus the
// 1 MiB it is loaded at, as in JOS.
const KernelBase uint64 = 0xC0100000

const sectorSize = 512

func artifact(t *testing.T, flagName, path string) []byte {
	t.Helper()
	if path == "" {
		if *require {
			t.Fatalf("-%s not given (and -require is set); the BUILD rule must pass $(rootpath ...)", flagName)
		}
		t.Skipf("-%s not given: run `bazel test //tests:image_test`, or go test ./tests -args -%s=PATH", flagName, flagName)
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !filepath.IsAbs(path) && os.Getenv("TEST_SRCDIR") != "" {
		// A rootpath is relative to the main repository's runfiles
		// root; the test may run elsewhere (rules_go's rundir).
		b, err = os.ReadFile(filepath.Join(os.Getenv("TEST_SRCDIR"), "_main", path))
	}
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestKernelELF(t *testing.T) {
	data := artifact(t, "kernel", *kernelPath)
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", *kernelPath, err)
	}
	for _, p := range checkKernel(f) {
		t.Errorf("%s: %s", *kernelPath, p)
	}
}

func TestDiskImage(t *testing.T) {
	img := artifact(t, "image", *imagePath)
	for _, p := range checkImage(img) {
		t.Errorf("%s: %s", *imagePath, p)
	}
}

func TestBootSectorInImage(t *testing.T) {
	if *bootPath == "" {
		t.Skip("-boot not given; sector 0 is checked through the image only")
	}
	boot := artifact(t, "boot", *bootPath)
	img := artifact(t, "image", *imagePath)
	if bytes.HasPrefix(boot, []byte(elf.ELFMAG)) {
		t.Skipf("%s is an ELF file; this test wants the raw binary that mkimage writes", *bootPath)
	}
	if len(boot) < sectorSize {
		t.Fatalf("%s: %d bytes, want at least one %d-byte sector", *bootPath, len(boot), sectorSize)
	}
	if p := checkBootSector(boot[:sectorSize]); p != "" {
		t.Errorf("%s: %s", *bootPath, p)
	}
	if len(img) < sectorSize || !bytes.Equal(img[:sectorSize], boot[:sectorSize]) {
		t.Errorf("sector 0 of %s differs from %s", *imagePath, *bootPath)
	}
}

// checkKernel returns what is wrong with a kernel ELF.
func checkKernel(f *elf.File) []string {
	var probs []string
	bad := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }
	if f.Class != elf.ELFCLASS32 || f.Data != elf.ELFDATA2LSB {
		bad("class %v, %v; want ELFCLASS32, ELFDATA2LSB", f.Class, f.Data)
	}
	if f.Machine != elf.EM_386 {
		bad("machine %v, want EM_386", f.Machine)
	}
	if f.Type != elf.ET_EXEC {
		bad("type %v, want ET_EXEC", f.Type)
	}
	if text := f.Section(".text"); text == nil {
		bad("no .text section")
	} else if text.Addr < KernelBase {
		bad(".text at %#x, want the higher half (>= %#x)", text.Addr, KernelBase)
	}

	// The entry may be virtual, or physical (JOS's RELOC(entry)) when the
	// loader jumps before paging is on; either way it must lie in an
	// executable higher-half segment.
	entryOK, loads := false, 0
	for _, p := range f.Progs {
		if p.Type != elf.PT_LOAD {
			continue
		}
		loads++
		if p.Flags&elf.PF_X != 0 && p.Vaddr < KernelBase {
			bad("executable segment at %#x, below %#x", p.Vaddr, KernelBase)
		}
		if p.Flags&elf.PF_X != 0 && p.Vaddr >= KernelBase &&
			(inSeg(f.Entry, p.Vaddr, p.Memsz) || inSeg(f.Entry, p.Paddr, p.Memsz)) {
			entryOK = true
		}
	}
	if loads == 0 {
		bad("no PT_LOAD segments")
	}
	if !entryOK {
		bad("entry %#x is not in an executable higher-half segment", f.Entry)
	}
	if syms, err := f.Symbols(); err != nil || len(syms) == 0 {
		bad("no symbol table (%v); gdb and ksym need .symtab", err)
	}
	return probs
}

func inSeg(addr, start, size uint64) bool { return addr >= start && addr < start+size }

// checkImage returns what is wrong with a raw disk image.
func checkImage(img []byte) []string {
	var probs []string
	if len(img) == 0 || len(img)%sectorSize != 0 {
		probs = append(probs, fmt.Sprintf("size %d bytes, want a positive multiple of %d", len(img), sectorSize))
	}
	if len(img) >= sectorSize {
		if p := checkBootSector(img[:sectorSize]); p != "" {
			probs = append(probs, "sector 0: "+p)
		}
	}
	return probs
}

func checkBootSector(s []byte) string {
	if s[510] != 0x55 || s[511] != 0xAA {
		return fmt.Sprintf("ends in %#02x %#02x, want the boot signature 0x55 0xAA", s[510], s[511])
	}
	return ""
}
