package livepatch

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// Section is the name of the patch table's section in a .ko.
const Section = ".gojos.livepatch"

// Magic starts an encoded table; Version is the format's version.
const (
	Magic   = "GJLP"
	Version = 1
)

// MaxEntries bounds a table; MaxName bounds a function or symbol name.
const (
	MaxEntries = 256
	MaxName    = 512
)

// Table flags.
const (
	// Replace: atomic replace — the module takes over every function
	// patched by earlier livepatch modules; those it does not patch go back
	// to their original code.
	Replace       = 1 << iota
	tableFlagsAll = Replace
)

// Entry flags.
const (
	// FlagForce patches a target the compiler inlined somewhere (its
	// inlined copies keep the old code), as kpatch -f.
	FlagForce     = 1 << iota
	entryFlagsAll = FlagForce
)

// Table is a livepatch module's patch table.
type Table struct {
	// BuildID identifies the kernel build the module was made for: the
	// function table's ImageHash (SHA-256 of .text and .gopclntab).
	BuildID [32]byte
	Flags   uint8
	Entries []Entry
}

// Entry is one patched function.
type Entry struct {
	Target  string // the kernel function's full name, as in the function table
	SigHash uint64 // functab.Func.Hash of the target at build time
	Repl    string // the C replacement: a global function of the module
	Flags   uint8
}

// Replaces reports the atomic-replace flag.
func (t *Table) Replaces() bool { return t.Flags&Replace != 0 }

// ShortID is the first 8 bytes of a build id in hex, as messages print it.
func ShortID(id [32]byte) string { return fmt.Sprintf("%x", id[:8]) }

// Encode writes the table: magic, version, flags, build id, the number of
// entries, then per entry the target (length-prefixed), the signature hash
// (8 bytes, little-endian), the replacement (length-prefixed) and flags.
// Lengths and counts are uvarints.
func Encode(t *Table) []byte {
	var b bytes.Buffer
	b.WriteString(Magic)
	b.WriteByte(Version)
	b.WriteByte(t.Flags)
	b.Write(t.BuildID[:])
	b.Write(binary.AppendUvarint(nil, uint64(len(t.Entries))))
	for _, e := range t.Entries {
		b.Write(binary.AppendUvarint(nil, uint64(len(e.Target))))
		b.WriteString(e.Target)
		b.Write(binary.LittleEndian.AppendUint64(nil, e.SigHash))
		b.Write(binary.AppendUvarint(nil, uint64(len(e.Repl))))
		b.WriteString(e.Repl)
		b.WriteByte(e.Flags)
	}
	return b.Bytes()
}

// ErrMalformed is wrapped by every Decode error.
var ErrMalformed = errors.New("malformed livepatch table")

type reader struct {
	b   []byte
	off int
}

func (r *reader) fail(format string, args ...any) error {
	return fmt.Errorf("%w: at byte %d: %s", ErrMalformed, r.off, fmt.Sprintf(format, args...))
}

func (r *reader) uvarint(what string, max uint64) (uint64, error) {
	v, n := binary.Uvarint(r.b[r.off:])
	if n <= 0 {
		return 0, r.fail("%s: bad or truncated number", what)
	}
	if v > max {
		return 0, r.fail("%s: %d, at most %d", what, v, max)
	}
	r.off += n
	return v, nil
}

func (r *reader) bytes(what string, n int) ([]byte, error) {
	if n > len(r.b)-r.off {
		return nil, r.fail("%s: %d bytes, %d left (truncated)", what, n, len(r.b)-r.off)
	}
	out := r.b[r.off : r.off+n]
	r.off += n
	return out, nil
}

func (r *reader) name(what string) (string, error) {
	n, err := r.uvarint(what+" length", MaxName)
	if err != nil {
		return "", err
	}
	b, err := r.bytes(what, int(n))
	if err != nil {
		return "", err
	}
	if !validName(b) {
		return "", r.fail("%s %q is not a function name", what, b)
	}
	return string(b), nil
}

// validName: not empty, printable ASCII without spaces.
func validName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c <= ' ' || c > '~' {
			return false
		}
	}
	return true
}

// Decode reads a table strictly: every length, count, flag and name is
// checked, nothing may follow the last entry, and no target appears twice.
// Any bad input is an error wrapping ErrMalformed, never a panic.
func Decode(data []byte) (*Table, error) {
	r := &reader{b: data}
	head, err := r.bytes("header", len(Magic)+2+32)
	if err != nil {
		return nil, err
	}
	if string(head[:4]) != Magic {
		return nil, fmt.Errorf("%w: no %q magic (found % x)", ErrMalformed, Magic, head[:4])
	}
	if head[4] != Version {
		return nil, fmt.Errorf("%w: version %d, this kernel reads version %d", ErrMalformed, head[4], Version)
	}
	t := &Table{Flags: head[5]}
	if t.Flags&^tableFlagsAll != 0 {
		return nil, fmt.Errorf("%w: unknown table flags %#x", ErrMalformed, t.Flags)
	}
	copy(t.BuildID[:], head[6:])
	n, err := r.uvarint("entry count", MaxEntries)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, r.fail("no entries: a livepatch module patches at least one function")
	}
	seen := map[string]bool{}
	for i := 0; i < int(n); i++ {
		var e Entry
		if e.Target, err = r.name(fmt.Sprintf("entry %d: target", i)); err != nil {
			return nil, err
		}
		h, err := r.bytes(fmt.Sprintf("entry %d: signature hash", i), 8)
		if err != nil {
			return nil, err
		}
		e.SigHash = binary.LittleEndian.Uint64(h)
		if e.Repl, err = r.name(fmt.Sprintf("entry %d: replacement", i)); err != nil {
			return nil, err
		}
		f, err := r.bytes(fmt.Sprintf("entry %d: flags", i), 1)
		if err != nil {
			return nil, err
		}
		if e.Flags = f[0]; e.Flags&^entryFlagsAll != 0 {
			return nil, r.fail("entry %d (%s): unknown flags %#x", i, e.Target, e.Flags)
		}
		if seen[e.Target] {
			return nil, r.fail("%s is patched twice", e.Target)
		}
		seen[e.Target] = true
		t.Entries = append(t.Entries, e)
	}
	if r.off != len(data) {
		return nil, r.fail("%d bytes after the last entry", len(data)-r.off)
	}
	return t, nil
}
