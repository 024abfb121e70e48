package elfrel

import (
	"bytes"
	"strings"

	"gojos/kern/kabi/cproto"
)

// Prototypes: the section ".gojos.proto" holds NUL-terminated "fn=prototype"
// strings (KPATCH_PROTO(int, fn, char *) emits "fn=int(char *)"), the C
// prototypes of the module's functions for kpatch and kcall. Like .modinfo it
// is read from the file and never loaded. The rules:
//   - at most one such section, SHT_PROGBITS, whose last string is
//     NUL-terminated; empty strings (padding) are skipped;
//   - every string is fn=prototype, fn a C identifier declared once, and the
//     prototype parses (kern/kabi/cproto);
//   - fn is a global function defined in the module's text.
//
// A function without a declared prototype is taken as int fn(void).

// ProtoSection is the name of the prototypes section.
const ProtoSection = ".gojos.proto"

// parseProtos reads the prototypes, normalised ("int(char *)"), by function
// name.
func parseProtos(o *Object) (map[string]string, error) {
	protos := map[string]string{}
	idx := -1
	for i := range o.Sections {
		if o.Sections[i].Name != ProtoSection || o.Sections[i].Type == SHT_NULL {
			continue
		}
		if idx >= 0 {
			return nil, errorf(ErrMalformed, "%s: two sections (%d and %d)", ProtoSection, idx, i)
		}
		idx = i
	}
	if idx < 0 {
		return protos, nil
	}
	s := &o.Sections[idx]
	if s.Type != SHT_PROGBITS {
		return nil, errorf(ErrMalformed, "%s: a %s section, want SHT_PROGBITS with fn=prototype strings", ProtoSection, SectionTypeName(s.Type))
	}
	data := o.contents(s)
	if len(data) > 0 && data[len(data)-1] != 0 {
		return nil, errorf(ErrMalformed, "%s: the last entry is not NUL-terminated (truncated?)", ProtoSection)
	}
	for _, entry := range bytes.Split(data, []byte{0}) {
		if len(entry) == 0 {
			continue
		}
		fn, text, ok := strings.Cut(string(entry), "=")
		if !ok || !validIdent(fn) {
			return nil, errorf(ErrMalformed, "%s entry %q is not fn=prototype", ProtoSection, entry)
		}
		if _, dup := protos[fn]; dup {
			return nil, errorf(ErrMalformed, "%s: two prototypes for %s", ProtoSection, fn)
		}
		p, err := cproto.Parse(text)
		if err != nil {
			return nil, errorf(ErrMalformed, "%s: %s: %v", ProtoSection, fn, err)
		}
		protos[fn] = p.String()
	}
	return protos, nil
}

// checkProtos: every prototype is for a global function defined in the text.
func (img *Image) checkProtos() error {
	o := img.Obj
	for fn := range img.Protos {
		found := false
		for i := 1; i < len(o.Symbols); i++ {
			s := &o.Symbols[i]
			if s.Name == fn && s.Shndx != SHN_UNDEF && s.Bind() != STB_LOCAL && s.Type() == STT_FUNC {
				found = true
				break
			}
		}
		if !found {
			return errorf(ErrMalformed, "%s: a prototype for %s, which is not a global function defined in the module", ProtoSection, fn)
		}
	}
	return nil
}

func validIdent(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
