package functab

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf8"
)

// ErrFormat is wrapped by every error Decode returns, and by those of a
// decoded table's functions whose details are damaged.
var ErrFormat = errors.New("function table")

// Bounds on what a decoded table may hold.
const (
	maxSiteCount = 1 << 24 // inlined calls of one function in one caller
	maxParams    = 1 << 12 // parameters or results of one function
)

// Decode reads a table written by Encode. It checks the magic, version and
// checksum, every length and count against what is there, the types, and
// the index of functions: entries sorted and not overlapping, names in the
// string heap, not empty and distinct (the name order is strictly
// ascending), known flags that do not contradict each other. A function's
// details — its file, signature, frame and inlining sites — are checked when
// it is first decoded (Func, ByName, ByAddr), and Check decodes them all.
// Nothing panics on any input.
func Decode(data []byte) (*Table, error) {
	if len(data) < len(magic)+1+4 || string(data[:len(magic)]) != magic {
		return nil, fmt.Errorf("%w: not a function table (no %q magic)", ErrFormat, magic)
	}
	if v := data[len(magic)]; v != version {
		return nil, fmt.Errorf("%w: version %d, want %d", ErrFormat, v, version)
	}
	body := data[:len(data)-4]
	if sum, want := checksum(body), binary.LittleEndian.Uint32(data[len(body):]); sum != want {
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

// index reads an index below n.
func (d *decoder) index(n int, what string) int {
	i := d.uvarint(what)
	if d.err == nil && i >= uint64(n) {
		d.fail("%s %d out of range (%d)", what, i, n)
		return 0
	}
	return int(i)
}

// str reads a string of heap as an offset and a length ("" after an error).
func (d *decoder) str(heap string, what string) string {
	off, n := d.uvarint("string offset"), d.uvarint("string length")
	return d.slice(heap, off, n, what)
}

// optStr reads an optional string: 0, or offset+1 and a length.
func (d *decoder) optStr(heap string, what string) string {
	off := d.uvarint("string offset")
	if off == 0 || d.err != nil {
		return ""
	}
	s := d.slice(heap, off-1, d.uvarint("string length"), what)
	if s == "" && d.err == nil {
		d.fail("empty %s", what)
	}
	return s
}

// slice is heap[off:off+n], checked to lie in the heap and to be UTF-8.
func (d *decoder) slice(heap string, off, n uint64, what string) string {
	if d.err != nil {
		return ""
	}
	if off > uint64(len(heap)) || n > uint64(len(heap))-off {
		d.fail("%s at %d, %d bytes: outside the string heap (%d bytes)", what, off, n, len(heap))
		return ""
	}
	s := heap[off : off+n]
	if !utf8.ValidString(s) {
		d.fail("%s %q is not UTF-8", what, s)
		return ""
	}
	return s
}

func decodeBody(b []byte) (*Table, error) {
	d := &decoder{b: b}
	t := &Table{BuildID: string(d.bytes(d.uvarint("build id length"), "build id"))}
	copy(t.ImageHash[:], d.bytes(32, "image hash"))
	e := &encoded{heap: string(d.bytes(d.uvarint("string heap length"), "string heap"))}
	e.types = make([]Type, d.count("types", 5))
	for i := range e.types {
		ty := &e.types[i]
		ty.Name = d.str(e.heap, "type name")
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
	n := d.count("functions", recSize+4)
	e.index = d.bytes(uint64(n)*recSize, "function index")
	e.byName = d.bytes(uint64(n)*4, "name order")
	e.details = d.bytes(d.uvarint("details length"), "details")
	if d.err == nil && d.off != len(b) {
		d.fail("%d bytes after the details", len(b)-d.off)
	}
	if d.err != nil {
		return nil, d.err
	}
	e.n = n
	if err := e.checkIndex(); err != nil {
		return nil, err
	}
	e.funcs = make([]*Func, n)
	t.enc = e
	return t, nil
}

// encoded is a decoded table's functions, kept in the encoding: the index
// and name order are used in place, and each function is decoded from its
// details at its first use.
type encoded struct {
	n       int
	index   []byte // n records of recSize bytes
	byName  []byte // n little-endian uint32 function indices, names ascending
	heap    string
	types   []Type
	details []byte

	funcs []*Func // decoded functions (the Table's mu guards it)
}

// Fields of an index record.
func (e *encoded) entry(i int) uint32 { return binary.LittleEndian.Uint32(e.index[i*recSize:]) }
func (e *encoded) size(i int) uint32  { return binary.LittleEndian.Uint32(e.index[i*recSize+4:]) }
func (e *encoded) flags(i int) Flags {
	return Flags(binary.LittleEndian.Uint16(e.index[i*recSize+16:]))
}
func (e *encoded) detail(i int) uint32 { return binary.LittleEndian.Uint32(e.index[i*recSize+18:]) }

// name is function i's name; checkIndex made sure it lies in the heap.
func (e *encoded) name(i int) string {
	r := e.index[i*recSize:]
	off, n := binary.LittleEndian.Uint32(r[8:]), binary.LittleEndian.Uint32(r[12:])
	return e.heap[off : off+n]
}

// nameAt is the function at position k of the name order.
func (e *encoded) nameAt(k int) int { return int(binary.LittleEndian.Uint32(e.byName[k*4:])) }

// checkIndex checks every record of the index and the name order.
func (e *encoded) checkIndex() error {
	end := uint64(0)
	for i := 0; i < e.n; i++ {
		r := e.index[i*recSize:]
		entry, size := uint64(binary.LittleEndian.Uint32(r)), uint64(binary.LittleEndian.Uint32(r[4:]))
		off, n := binary.LittleEndian.Uint32(r[8:]), binary.LittleEndian.Uint32(r[12:])
		if n == 0 {
			return fmt.Errorf("function %d has no name", i)
		}
		if heap := uint32(len(e.heap)); off > heap || n > heap-off { // the heap is part of a table in memory: its length fits
			return fmt.Errorf("function %d: name at %d, %d bytes: outside the string heap (%d bytes)", i, off, n, len(e.heap))
		}
		name := e.heap[off : off+n]
		flags := e.flags(i)
		switch {
		case size == 0 || entry+size > 1<<32:
			return fmt.Errorf("function %s: entry %#x size %#x", name, entry, size)
		case entry < end:
			return fmt.Errorf("function %s at %#x: overlaps or precedes the function before it (which ends at %#x)", name, entry, end)
		case flags&^flagsAll != 0:
			return fmt.Errorf("function %s: unknown flags %#x", name, flags&^flagsAll)
		case flags&FlagSig != 0 && flags&(FlagAsm|FlagBadDWARF) != 0:
			return fmt.Errorf("function %s: flags %v contradict each other", name, flags)
		case uint64(e.detail(i)) >= uint64(len(e.details)):
			return fmt.Errorf("function %s: details at %d, past their end (%d bytes)", name, e.detail(i), len(e.details))
		}
		end = entry + size
	}
	seen := make([]uint32, (e.n+31)/32) // 32-bit words: 64-bit shifts are slow on 386
	prev := ""
	for k := 0; k < e.n; k++ {
		i := e.nameAt(k)
		if uint(i) >= uint(e.n) || seen[i/32]&(1<<(uint(i)%32)) != 0 {
			return fmt.Errorf("name order: position %d holds function %d (of %d), out of range or listed twice", k, i, e.n)
		}
		seen[i/32] |= 1 << (uint(i) % 32)
		name := e.name(i)
		if k > 0 && name <= prev {
			if name == prev {
				return fmt.Errorf("function %s appears twice", name)
			}
			return fmt.Errorf("name order: %s comes after %s", name, prev)
		}
		prev = name
	}
	return nil
}

// decodeFunc decodes function i from its record and details, checking
// them.
func (e *encoded) decodeFunc(i int) (*Func, error) {
	f := &Func{Name: e.name(i), Entry: e.entry(i), Size: e.size(i), Flags: e.flags(i)}
	d := &decoder{b: e.details, off: int(e.detail(i))}
	if !utf8.ValidString(f.Name) {
		d.fail("function name %q is not UTF-8", f.Name)
	}
	f.File = d.optStr(e.heap, "file name")
	if f.Flags&FlagPCArgs != 0 {
		args := d.varint("pclntab args")
		if d.err == nil && (args < -1<<31 || args > maxFrame) {
			d.fail("pclntab args %d", args)
		}
		f.PCArgs = int32(args)
	}
	if f.Flags&FlagSig != 0 {
		f.Params = d.params(e)
		f.Results = d.params(e)
		if d.err == nil {
			frame := layout(f.Params, f.Results, regSize)
			if frame > maxFrame {
				d.fail("argument frame of %d bytes", frame)
			} else if f.Flags&FlagPCArgs != 0 && int64(frame) != int64(f.PCArgs) {
				d.fail("argument frame of %d bytes, the pclntab's is %d", frame, f.PCArgs)
			}
			f.ArgsSize = uint32(frame)
		}
	} else if f.Flags&FlagPCArgs != 0 && f.PCArgs >= 0 {
		f.ArgsSize = uint32(f.PCArgs)
	}
	f.Inlined = d.sites(e.n)
	if d.err == nil && len(f.Inlined) > 0 && f.Flags&FlagInlined == 0 {
		d.fail("callers listed without FlagInlined")
	}
	if d.err != nil {
		return nil, fmt.Errorf("%w: function %s: %v", ErrFormat, f.Name, d.err)
	}
	return f, nil
}

func (d *decoder) params(e *encoded) []Param {
	n := d.count("parameters", 2)
	if d.err == nil && n > maxParams {
		d.fail("%d parameters", n)
	}
	if d.err != nil || n == 0 {
		return nil
	}
	ps := make([]Param, n)
	for i := range ps {
		ps[i].Name = d.optStr(e.heap, "parameter name")
		if ty := d.index(len(e.types), "parameter type"); d.err == nil {
			ps[i].Type = e.types[ty]
		}
	}
	return ps
}

func (d *decoder) sites(nfuncs int) []Site {
	n := d.count("inlining sites", 2)
	if d.err != nil || n == 0 {
		return nil
	}
	s := make([]Site, n)
	caller := uint64(0)
	for i := range s {
		delta := d.uvarint("caller")
		count := d.uvarint("call sites")
		caller += delta
		switch {
		case d.err != nil:
			return nil
		case i > 0 && delta == 0:
			d.fail("caller %d listed twice", caller)
		case delta >= uint64(nfuncs) || caller >= uint64(nfuncs):
			d.fail("caller %d out of range (%d functions)", caller, nfuncs)
		case count == 0 || count > maxSiteCount:
			d.fail("%d call sites in one caller", count)
		}
		s[i] = Site{Caller: int(caller), Count: int(count)}
	}
	return s
}
