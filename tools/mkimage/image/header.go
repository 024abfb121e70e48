// Package image builds gojos raw disk images: boot sector, stage 2 loader,
// image header, kernel ELF and initrd. The layout is documented in
// docs/boot.md and mirrored in C by boot/layout.h and boot/imghdr.h.
package image

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Disk layout, in 512-byte sectors (boot/layout.h).
const (
	SectorSize    = 512
	Stage2LBA     = 1  // stage 2 occupies LBA 1..63
	Stage2Sectors = 63 // stage 1 always reads all of them
	HeaderLBA     = 64 // the image header
	DataLBA       = 65 // first sector of the kernel ELF

	// MinImageSize is the smallest image written (1 MiB); larger images are
	// padded to a whole number of sectors.
	MinImageSize = 1 << 20
)

// Image header (boot/imghdr.h).
const (
	HeaderMagic   = 0x4D494A47 // bytes "GJIM"
	HeaderVersion = 1
	HeaderSize    = 512
	CmdlineSize   = 256 // including the NUL terminator

	offMagic        = 0
	offVersion      = 4
	offHeaderSize   = 8
	offFlags        = 12
	offKernelLBA    = 16
	offKernelSize   = 20
	offInitrdLBA    = 24
	offInitrdSize   = 28
	offCmdlineLen   = 32
	offTotalSectors = 36
	offCmdline      = 64
	offChecksum     = 508
)

// Header is the decoded image header.
type Header struct {
	KernelLBA    uint32
	KernelSize   uint32
	InitrdLBA    uint32 // 0 if there is no initrd
	InitrdSize   uint32
	TotalSectors uint32
	Cmdline      string
}

// Marshal encodes h as one sector, checksum included.
func (h *Header) Marshal() ([]byte, error) {
	if len(h.Cmdline) >= CmdlineSize {
		return nil, fmt.Errorf("command line is %d bytes, at most %d allowed", len(h.Cmdline), CmdlineSize-1)
	}
	for i := 0; i < len(h.Cmdline); i++ {
		if h.Cmdline[i] == 0 {
			return nil, errors.New("command line contains a NUL byte")
		}
	}
	b := make([]byte, HeaderSize)
	le := binary.LittleEndian
	le.PutUint32(b[offMagic:], HeaderMagic)
	le.PutUint32(b[offVersion:], HeaderVersion)
	le.PutUint32(b[offHeaderSize:], HeaderSize)
	le.PutUint32(b[offFlags:], 0)
	le.PutUint32(b[offKernelLBA:], h.KernelLBA)
	le.PutUint32(b[offKernelSize:], h.KernelSize)
	le.PutUint32(b[offInitrdLBA:], h.InitrdLBA)
	le.PutUint32(b[offInitrdSize:], h.InitrdSize)
	le.PutUint32(b[offCmdlineLen:], uint32(len(h.Cmdline)))
	le.PutUint32(b[offTotalSectors:], h.TotalSectors)
	copy(b[offCmdline:], h.Cmdline)
	le.PutUint32(b[offChecksum:], -wordSum(b))
	return b, nil
}

// ParseHeader decodes and validates one header sector.
func ParseHeader(b []byte) (*Header, error) {
	if len(b) < HeaderSize {
		return nil, fmt.Errorf("header is %d bytes, want %d", len(b), HeaderSize)
	}
	b = b[:HeaderSize]
	le := binary.LittleEndian
	if m := le.Uint32(b[offMagic:]); m != HeaderMagic {
		return nil, fmt.Errorf("bad header magic %#x", m)
	}
	if v := le.Uint32(b[offVersion:]); v != HeaderVersion {
		return nil, fmt.Errorf("unsupported header version %d", v)
	}
	if s := le.Uint32(b[offHeaderSize:]); s != HeaderSize {
		return nil, fmt.Errorf("bad header size %d", s)
	}
	if s := wordSum(b); s != 0 {
		return nil, fmt.Errorf("header checksum mismatch (sum %#x)", s)
	}
	n := le.Uint32(b[offCmdlineLen:])
	if n >= CmdlineSize || b[offCmdline+n] != 0 {
		return nil, fmt.Errorf("command line length %d not NUL-terminated", n)
	}
	return &Header{
		KernelLBA:    le.Uint32(b[offKernelLBA:]),
		KernelSize:   le.Uint32(b[offKernelSize:]),
		InitrdLBA:    le.Uint32(b[offInitrdLBA:]),
		InitrdSize:   le.Uint32(b[offInitrdSize:]),
		TotalSectors: le.Uint32(b[offTotalSectors:]),
		Cmdline:      string(b[offCmdline : offCmdline+n]),
	}, nil
}

// wordSum adds the little-endian 32-bit words of b.
func wordSum(b []byte) uint32 {
	var s uint32
	for i := 0; i+4 <= len(b); i += 4 {
		s += binary.LittleEndian.Uint32(b[i:])
	}
	return s
}
