package elfbuild

import (
	"crypto/sha256"
	"debug/elf"
	"encoding/binary"
	"fmt"
)

// noteGoBuildID is the type of the Go linker's build ID note ("Go" owner).
const noteGoBuildID = 4

// BuildID returns the Go build ID recorded in the ELF's .note.go.buildid
// section. Bazel's rules_go links with -buildid=redacted, so every kernel it
// builds says "redacted"; ImageHash tells builds apart.
func BuildID(f *elf.File) (string, error) {
	s := f.Section(".note.go.buildid")
	if s == nil {
		return "", fmt.Errorf("no .note.go.buildid section")
	}
	b, err := s.Data()
	if err != nil {
		return "", fmt.Errorf(".note.go.buildid: %v", err)
	}
	return ParseGoNote(b, f.ByteOrder)
}

// ParseGoNote reads a Go build ID note (namesz, descsz, type, "Go\0\0",
// the ID): the section's bytes, as the kernel finds them in its own image.
func ParseGoNote(b []byte, bo binary.ByteOrder) (string, error) {
	if len(b) < 12 {
		return "", fmt.Errorf("Go build ID note: %d bytes", len(b))
	}
	namesz, descsz, typ := bo.Uint32(b), bo.Uint32(b[4:]), bo.Uint32(b[8:])
	if namesz != 4 || typ != noteGoBuildID {
		return "", fmt.Errorf("Go build ID note: name size %d, type %d; want 4, %d", namesz, typ, noteGoBuildID)
	}
	if len(b) < 16 || string(b[12:16]) != "Go\x00\x00" {
		return "", fmt.Errorf("Go build ID note: owner is not Go")
	}
	if uint64(descsz) > uint64(len(b)-16) {
		return "", fmt.Errorf("Go build ID note: %d bytes of ID, %d present", descsz, len(b)-16)
	}
	return string(b[16 : 16+descsz]), nil
}

// ImageHash is HashImage of the ELF's .text and .gopclntab.
func ImageHash(f *elf.File) ([32]byte, error) {
	var parts [2][]byte
	for i, name := range []string{".text", ".gopclntab"} {
		s := f.Section(name)
		if s == nil || s.Type != elf.SHT_PROGBITS {
			return [32]byte{}, fmt.Errorf("no %s section", name)
		}
		b, err := s.Data()
		if err != nil {
			return [32]byte{}, fmt.Errorf("%s: %v", name, err)
		}
		parts[i] = b
	}
	return HashImage(parts[0], parts[1]), nil
}

// HashImage identifies a kernel build: SHA-256 of its .text followed by its
// .gopclntab. The kernel can compute it over its own memory while its text
// is unpatched (or with the patched bytes restored).
func HashImage(text, pclntab []byte) [32]byte {
	h := sha256.New()
	h.Write(text)
	h.Write(pclntab)
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}
