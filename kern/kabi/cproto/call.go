package cproto

import (
	"fmt"
	"strconv"
)

// Args turns kcall's words into the cdecl argument words of a call to a C
// function of prototype p: integers (decimal, 0x hex, 0o octal, 0b binary,
// negative for signed types) in range for their type, bools as true/false
// or 1/0, pointers as addresses.
func Args(p *Proto, words []string) ([]uint32, error) {
	if len(words) != len(p.Params) {
		return nil, fmt.Errorf("%s takes %d arguments, got %d", p, len(p.Params), len(words))
	}
	var out []uint32
	for i, w := range words {
		t := p.Params[i]
		var v uint64
		var err error
		switch {
		case t.Kind == Bool:
			var b bool
			b, err = strconv.ParseBool(w)
			if b {
				v = 1
			}
		case t.Kind == Int && t.Signed:
			var s int64
			s, err = strconv.ParseInt(w, 0, int(t.Size*8))
			v = uint64(s)
		default: // unsigned, pointer
			v, err = strconv.ParseUint(w, 0, int(t.Size*8))
		}
		if err != nil {
			return nil, fmt.Errorf("argument %d (%s): %q is not a valid %s", i+1, t.Spelling, w, t.Spelling)
		}
		out = append(out, uint32(v))
		if t.Size == 8 {
			out = append(out, uint32(v>>32))
		}
	}
	return out, nil
}

// Result formats a C result (EAX, EDX) by its type: "" for void.
func Result(t CType, lo, hi uint32) string {
	switch {
	case t.Kind == Void:
		return ""
	case t.Kind == Bool:
		return strconv.FormatBool(lo&0xff != 0)
	case t.Kind == Pointer:
		return fmt.Sprintf("%#x", lo)
	case t.Size == 8 && t.Signed:
		return strconv.FormatInt(int64(uint64(hi)<<32|uint64(lo)), 10)
	case t.Size == 8:
		return strconv.FormatUint(uint64(hi)<<32|uint64(lo), 10)
	}
	shift := 32 - t.Size*8
	if t.Signed {
		return strconv.FormatInt(int64(int32(lo<<shift)>>shift), 10)
	}
	return strconv.FormatUint(uint64(lo<<shift>>shift), 10)
}
