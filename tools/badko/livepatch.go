package main

import (
	"errors"
	"fmt"

	"gojos/kern/kpatch/livepatch"
	"gojos/kern/module/elfrel"
)

// Livepatch modules with a broken patch table (badko -livepatch, from a
// valid livepatch module such as lpfix.ko), each refused by the kernel
// before any of the module's code runs:
//
//	lpmagic.ko    the table's magic changed: not a patch table
//	lpflags.ko    an unknown table flag
//	lptrunc.ko    the table's section three bytes short: truncated
//	lpunknown.ko  the first target's name changed: no such kernel function
//	lpsighash.ko  a byte of the first target's signature hash flipped: the
//	              kernel's function has another signature
//	lprepl.ko     the first replacement's name changed: not a function of
//	              the module
var LivepatchCases = []string{"lpmagic", "lpflags", "lptrunc", "lpunknown", "lpsighash", "lprepl"}

// GenerateLivepatch derives the broken livepatch modules from a valid one.
func GenerateLivepatch(valid []byte) ([]Bad, error) {
	o, err := elfrel.Parse(valid)
	if err != nil {
		return nil, fmt.Errorf("input: %w", err)
	}
	sec, ok := o.SectionByName(livepatch.Section)
	if !ok {
		return nil, errors.New("input is not a livepatch module (no " + livepatch.Section + ")")
	}
	t, err := livepatch.Decode(o.Contents(sec.Index))
	if err != nil {
		return nil, fmt.Errorf("input: %w", err)
	}
	e := t.Entries[0]
	if len(e.Target) > 127 || len(e.Repl) > 127 || len(t.Entries) > 127 {
		return nil, errors.New("input's first entry has names too long to edit in place")
	}
	// Offsets in the encoding (livepatch.Encode): a 38-byte header, the
	// count, then the first entry: length, target, hash, length, replacement.
	base := int(sec.Offset)
	target := base + 38 + 1 + 1
	hash := target + len(e.Target)
	repl := hash + 8 + 1
	clone := func() []byte { return append([]byte(nil), valid...) }
	var out []Bad
	add := func(name string, d []byte, want string) {
		out = append(out, Bad{Name: name + ".ko", Data: d, Want: want})
	}

	d := clone()
	d[base] = 'X'
	add("lpmagic", d, `malformed livepatch table: no "GJLP" magic`)
	d = clone()
	d[base+5] = 0x80
	add("lpflags", d, "unknown table flags 0x80")
	d = clone()
	short := *sec
	short.Size -= 3
	elfrel.PutSection(d, short)
	add("lptrunc", d, "truncated")
	d = clone()
	d[hash-1] ^= 0x01
	bad := string(d[target:hash])
	add("lpunknown", d, "unknown target "+bad+": no kernel function of that name")
	d = clone()
	d[hash] ^= 0xff
	add("lpsighash", d, "signature of "+e.Target+" changed")
	d = clone()
	d[repl+len(e.Repl)-1] ^= 0x01
	add("lprepl", d, fmt.Sprintf("replacement %s for %s is not a global function defined in the module", d[repl:repl+len(e.Repl)], e.Target))
	return out, nil
}
