package elfrel

import (
	"bytes"
	"path"
	"strings"
)

// Module metadata: the ".modinfo" section holds NUL-terminated "key=value"
// strings (MODULE_NAME("test") emits "name=test"). It is read from the file and
// never loaded. The rules:
//   - at most one .modinfo section, with contents (not SHT_NOBITS), whose last
//     string is NUL-terminated; empty strings (padding) are skipped;
//   - every string is key=value with a key of [A-Za-z0-9_];
//   - at most one name=, which must be a valid module name.
//
// A module without name= is named after its file (ModuleName).

// MaxNameLen is the longest module name (Linux's MODULE_NAME_LEN is 56 with the NUL).
const MaxNameLen = 55

func parseModInfo(o *Object) (map[string]string, error) {
	info := map[string]string{}
	idx := -1
	for i := range o.Sections {
		if o.Sections[i].Name != ".modinfo" || o.Sections[i].Type == SHT_NULL {
			continue
		}
		if idx >= 0 {
			return nil, errorf(ErrMalformed, ".modinfo: two sections (%d and %d)", idx, i)
		}
		idx = i
	}
	if idx < 0 {
		return info, nil
	}
	s := &o.Sections[idx]
	if s.Type != SHT_PROGBITS {
		return nil, errorf(ErrMalformed, ".modinfo: a %s section, want SHT_PROGBITS with key=value strings", SectionTypeName(s.Type))
	}
	data := o.contents(s)
	if len(data) > 0 && data[len(data)-1] != 0 {
		return nil, errorf(ErrMalformed, ".modinfo: the last entry is not NUL-terminated (truncated?)")
	}
	names := 0
	for _, entry := range bytes.Split(data, []byte{0}) {
		if len(entry) == 0 {
			continue
		}
		k, v, ok := strings.Cut(string(entry), "=")
		if !ok || !validKey(k) {
			return nil, errorf(ErrMalformed, ".modinfo entry %q is not key=value", entry)
		}
		if k == "name" {
			if names++; names > 1 {
				return nil, errorf(ErrMalformed, ".modinfo: more than one name= (%q and %q)", info["name"], v)
			}
			if !ValidName(v) {
				return nil, errorf(ErrMalformed, ".modinfo: bad module name %q (want 1-%d of [A-Za-z0-9_-])", v, MaxNameLen)
			}
		}
		info[k] = v
	}
	return info, nil
}

func validKey(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// ValidName reports whether s can name a module: 1 to MaxNameLen of [A-Za-z0-9_-].
func ValidName(s string) bool {
	if len(s) == 0 || len(s) > MaxNameLen {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// ModuleName is the name the module is loaded under: its name= from .modinfo, or,
// only when .modinfo has no name=, the base of fileName without ".ko" (finit_module
// knows the file; init_module passes ""). Without either it is an error.
func (img *Image) ModuleName(fileName string) (string, error) {
	if img.Name != "" {
		return img.Name, nil
	}
	if fileName == "" {
		return "", errorf(ErrMalformed, "module has no name: no name= in .modinfo (MODULE_NAME) and no file name to use instead")
	}
	n := strings.TrimSuffix(path.Base(fileName), ".ko")
	if !ValidName(n) {
		return "", errorf(ErrMalformed, "module has no name= in .modinfo (MODULE_NAME) and its file name %q is not a valid module name (1-%d of [A-Za-z0-9_-])",
			fileName, MaxNameLen)
	}
	return n, nil
}
