package functab

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"unicode/utf8"
)

// ErrFormat is wrapped by every error Decode returns.
var ErrFormat = errors.New("function table")

// Bounds on what a decoded table may hold.
const (
	maxSiteCount = 1 << 24 // inlined calls of one function in one caller
	maxParams    = 1 << 12 // parameters or results of one function
)

// Decode reads a table written by Encode, checking everything: the magic,
// version and checksum, every length, index and count against what is there,
// flags, classes and alignments, names (UTF-8, functions' non-empty and
// distinct), frame sizes (against the pclntab's where both are known) and
// the order of functions and callers. It never panics.
func Decode(data []byte) (*Table, error) {
	if len(data) < len(magic)+1+4 || string(data[:len(magic)]) != magic {
		return nil, fmt.Errorf("%w: not a function table (no %q magic)", ErrFormat, magic)
	}
	if v := data[len(magic)]; v != version {
		return nil, fmt.Errorf("%w: version %d, want %d", ErrFormat, v, version)
	}
	body := data[:len(data)-4]
	if sum, want := crc32.ChecksumIEEE(body), binary.LittleEndian.Uint32(data[len(body):]); sum != want {
		return nil, fmt.Errorf("%w: checksum %#08x, the table says %#08x (truncated or damaged)", ErrFormat, sum, want)
	}
	t, err := decodeBody(body[len(magic)+1:])
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	return t, nil
}

// decoder reads the body; its first error sticks.
type decoder struct {
	b   []byte
	off int
	err error

	// Parameters and inlining sites of all functions are carved from a few
	// large arrays: a table has thousands of each, and allocating them one
	// function at a time was a good part of a load's cost in the kernel.
	paramSlab slab[Param]
	siteSlab  slab[Site]
}

// slab hands out slices of larger arrays.
type slab[T any] struct{ free []T }

// take returns a zeroed slice of n elements whose capacity is n (appending
// to it cannot overwrite the next one).
func (s *slab[T]) take(n int) []T {
	if n > len(s.free) {
		s.free = make([]T, max(n, 1024))
	}
	r := s.free[:n:n]
	s.free = s.free[n:]
	return r
}

// strings reads the string table. The strings share one allocation: a
// table holds thousands, and converting each separately was most of a
// load's allocations.
func (d *decoder) strings() []string {
	n := d.count("strings", 1)
	start := d.off
	for i := 0; i < n && d.err == nil; i++ {
		s := d.bytes(d.uvarint("string length"), "string")
		if d.err == nil && !utf8.Valid(s) {
			d.fail("string %d is not UTF-8", i)
		}
	}
	if d.err != nil {
		return nil
	}
	all := string(d.b[start:d.off])
	strs := make([]string, n)
	off := 0
	for i := range strs { // the lengths were checked above
		l, k := binary.Uvarint(d.b[start+off:])
		off += k
		strs[i] = all[off : off+int(l)]
		off += int(l)
	}
	return strs
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("at byte %d: "+format, append([]any{d.off}, args...)...)
	}
}

// uvarint reads an unsigned varint. Its one-byte case — most of a table's
// numbers — is small enough to be inlined.
func (d *decoder) uvarint(what string) uint64 {
	if off := d.off; off < len(d.b) {
		if c := d.b[off]; c < 0x80 && d.err == nil {
			d.off = off + 1
			return uint64(c)
		}
	}
	return d.uvarintLong(what)
}

func (d *decoder) uvarintLong(what string) uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.off:])
	if n <= 0 {
		d.fail("bad or truncated %s", what)
		return 0
	}
	d.off += n
	return v
}

func (d *decoder) varint(what string) int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b[d.off:])
	if n <= 0 {
		d.fail("bad or truncated %s", what)
		return 0
	}
	d.off += n
	return v
}

func (d *decoder) bytes(n uint64, what string) []byte {
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.b)-d.off) {
		d.fail("%s: %d bytes, %d left", what, n, len(d.b)-d.off)
		return nil
	}
	s := d.b[d.off : d.off+int(n)]
	d.off += int(n)
	return s
}

func (d *decoder) byte(what string) byte {
	if b := d.bytes(1, what); b != nil {
		return b[0]
	}
	return 0
}

// count reads a count of items that take at least min bytes each.
func (d *decoder) count(what string, min int) int {
	n := d.uvarint(what)
	if d.err == nil && n > uint64((len(d.b)-d.off)/min) {
		d.fail("%d %s, but %d bytes left", n, what, len(d.b)-d.off)
		return 0
	}
	return int(n)
}

// str reads an index into strs and returns the string ("" after an error).
func (d *decoder) str(strs []string, what string) string {
	if i := d.index(len(strs), what); d.err == nil {
		return strs[i]
	}
	return ""
}

// index reads an index below n.
func (d *decoder) index(n int, what string) int {
	i := d.uvarint(what)
	if d.err == nil && i >= uint64(n) {
		d.fail("%s %d out of range (%d)", what, i, n)
		return 0
	}
	return int(i)
}

func decodeBody(b []byte) (*Table, error) {
	d := &decoder{b: b}
	t := &Table{BuildID: string(d.bytes(d.uvarint("build id length"), "build id"))}
	copy(t.ImageHash[:], d.bytes(32, "image hash"))
	strs := d.strings()
	types := make([]Type, d.count("types", 4))
	for i := range types {
		ty := &types[i]
		ty.Name = d.str(strs, "type name")
		ty.Class = Class(d.byte("class"))
		size := d.uvarint("type size")
		ty.Align = d.byte("alignment")
		switch {
		case d.err != nil:
		case ty.Name == "":
			d.fail("type %d has no name", i)
		case ty.Class >= numClasses:
			d.fail("type %s: class %d", ty.Name, ty.Class)
		case size > maxFrame:
			d.fail("type %s: size %d", ty.Name, size)
		case ty.Align != 1 && ty.Align != 2 && ty.Align != 4 && ty.Align != 8:
			d.fail("type %s: alignment %d", ty.Name, ty.Align)
		}
		ty.Size = uint32(size)
	}
	t.Funcs = make([]Func, d.count("functions", 6))
	end := uint64(0)
	for i := range t.Funcs {
		f := &t.Funcs[i]
		f.Name = d.str(strs, "function name")
		if file := d.index(len(strs)+1, "file name"); file > 0 && d.err == nil {
			f.File = strs[file-1]
			if f.File == "" {
				d.fail("function %s: empty file name", f.Name)
			}
		}
		entry := end + d.uvarint("entry gap")
		size := d.uvarint("size")
		flags := d.uvarint("flags")
		if d.err != nil {
			break
		}
		switch {
		case f.Name == "":
			d.fail("function %d has no name", i)
		case size == 0 || entry > 1<<32-1 || size > 1<<32-entry:
			d.fail("function %s: entry %#x size %#x", f.Name, entry, size)
		case flags&^uint64(flagsAll) != 0:
			d.fail("function %s: unknown flags %#x", f.Name, flags&^uint64(flagsAll))
		case Flags(flags)&FlagSig != 0 && Flags(flags)&(FlagAsm|FlagBadDWARF) != 0:
			d.fail("function %s: flags %v contradict each other", f.Name, Flags(flags))
		}
		f.Entry, f.Size, f.Flags = uint32(entry), uint32(size), Flags(flags)
		end = entry + size
		if f.Flags&FlagPCArgs != 0 {
			args := d.varint("pclntab args")
			if d.err == nil && (args < -1<<31 || args > maxFrame) {
				d.fail("function %s: pclntab args %d", f.Name, args)
			}
			f.PCArgs = int32(args)
		}
		if f.Flags&FlagSig != 0 {
			f.Params = d.params(f.Name, strs, types)
			f.Results = d.params(f.Name, strs, types)
			if d.err == nil {
				frame := layout(f.Params, f.Results, regSize)
				if frame > maxFrame {
					d.fail("function %s: argument frame of %d bytes", f.Name, frame)
				} else if f.Flags&FlagPCArgs != 0 && int64(frame) != int64(f.PCArgs) {
					d.fail("function %s: argument frame of %d bytes, the pclntab's is %d", f.Name, frame, f.PCArgs)
				}
				f.ArgsSize = uint32(frame)
			}
		} else if f.Flags&FlagPCArgs != 0 && f.PCArgs >= 0 {
			f.ArgsSize = uint32(f.PCArgs)
		}
		f.Inlined = d.sites(f.Name, len(t.Funcs))
		if d.err == nil && len(f.Inlined) > 0 && f.Flags&FlagInlined == 0 {
			d.fail("function %s: callers listed without FlagInlined", f.Name)
		}
	}
	if d.err == nil && d.off != len(b) {
		d.fail("%d bytes after the last function", len(b)-d.off)
	}
	if d.err == nil {
		if name, dup := duplicateName(t.Funcs); dup {
			d.fail("function %s appears twice", name)
		}
	}
	if d.err != nil {
		return nil, d.err
	}
	return t, nil
}

func (d *decoder) params(fn string, strs []string, types []Type) []Param {
	n := d.count("parameters", 2)
	if d.err == nil && n > maxParams {
		d.fail("function %s: %d parameters", fn, n)
	}
	if d.err != nil || n == 0 {
		return nil
	}
	ps := d.paramSlab.take(n)
	for i := range ps {
		if name := d.index(len(strs)+1, "parameter name"); name > 0 && d.err == nil {
			ps[i].Name = strs[name-1]
			if ps[i].Name == "" {
				d.fail("function %s: parameter %d has an empty name", fn, i)
			}
		}
		if ty := d.index(len(types), "parameter type"); d.err == nil {
			ps[i].Type = types[ty]
		}
	}
	return ps
}

func (d *decoder) sites(fn string, nfuncs int) []Site {
	n := d.count("inlining sites", 2)
	if d.err != nil || n == 0 {
		return nil
	}
	s := d.siteSlab.take(n)
	caller := uint64(0)
	for i := range s {
		delta := d.uvarint("caller")
		count := d.uvarint("call sites")
		caller += delta
		switch {
		case d.err != nil:
			return nil
		case i > 0 && delta == 0:
			d.fail("function %s: caller %d listed twice", fn, caller)
		case delta >= uint64(nfuncs) || caller >= uint64(nfuncs):
			d.fail("function %s: caller %d out of range (%d functions)", fn, caller, nfuncs)
		case count == 0 || count > maxSiteCount:
			d.fail("function %s: %d call sites in one caller", fn, count)
		}
		s[i] = Site{Caller: int(caller), Count: int(count)}
	}
	return s
}
