package cproto

import (
	"errors"
	"fmt"
	"strings"
)

// typedefs are the integer type names of <stdint.h> and <stddef.h> on i386.
var typedefs = map[string]CType{
	"int8_t": {Kind: Int, Size: 1, Signed: true}, "uint8_t": {Kind: Int, Size: 1},
	"int16_t": {Kind: Int, Size: 2, Signed: true}, "uint16_t": {Kind: Int, Size: 2},
	"int32_t": {Kind: Int, Size: 4, Signed: true}, "uint32_t": {Kind: Int, Size: 4},
	"int64_t": {Kind: Int, Size: 8, Signed: true}, "uint64_t": {Kind: Int, Size: 8},
	"intptr_t": {Kind: Int, Size: 4, Signed: true}, "uintptr_t": {Kind: Int, Size: 4},
	"size_t": {Kind: Int, Size: 4}, "ssize_t": {Kind: Int, Size: 4, Signed: true},
	"ptrdiff_t": {Kind: Int, Size: 4, Signed: true},
	"_Bool":     {Kind: Bool, Size: 1}, "bool": {Kind: Bool, Size: 1},
}

var keywords = map[string]bool{
	"const": true, "volatile": true, "signed": true, "unsigned": true, "char": true, "short": true,
	"int": true, "long": true, "void": true, "struct": true, "union": true, "enum": true,
	"float": true, "double": true, "restrict": true,
}

// typ reads one type: specifiers, then pointer stars with qualifiers, then
// (for a parameter) an optional name.
func (p *parser) typ(param bool) (CType, error) {
	var words []string
	for {
		t := p.peek()
		if t == "" || t == "(" || t == ")" || t == "," || t == "*" {
			break
		}
		if t == "struct" || t == "union" || t == "enum" {
			p.i++
			tag := p.next()
			if !isIdent(tag) || keywords[tag] {
				return CType{}, fmt.Errorf("want a tag name after %q", t)
			}
			words = append(words, t, tag)
			continue
		}
		if keywords[t] || isTypedef(t) {
			words = append(words, t)
			p.i++
			continue
		}
		if param && len(words) > 0 {
			break // the parameter's name
		}
		return CType{}, fmt.Errorf("unknown type name %q", t)
	}
	if len(words) == 0 {
		t := p.peek()
		if t == "" {
			return CType{}, fmt.Errorf("want a type, found the end")
		}
		return CType{}, fmt.Errorf("want a type, found %q", t)
	}
	base, err := baseType(words)
	spelling := strings.Join(words, " ")
	stars := 0
	for p.peek() == "*" {
		p.i++
		stars++
		spelling += " *"
		for q := p.peek(); q == "const" || q == "volatile" || q == "restrict"; q = p.peek() {
			spelling += " " + p.next()
		}
	}
	spelling = strings.ReplaceAll(spelling, "* *", "**")
	switch {
	case stars > 0 && (err == nil || errors.Is(err, errByValue)):
		base, err = CType{Kind: Pointer, Size: 4}, nil
	case err != nil:
		return CType{}, err
	}
	base.Spelling = spelling
	if param && isIdent(p.peek()) && !keywords[p.peek()] && !isTypedef(p.peek()) {
		name := p.next()
		if n := p.peek(); n != "" && n != ")" && n != "," {
			return CType{}, fmt.Errorf("unexpected %q after parameter name %q (arrays and function pointers are not supported)", n, name)
		}
	}
	return base, nil
}

func isIdent(t string) bool { return t != "" && isIdentStart(t[0]) }

func isTypedef(t string) bool {
	_, ok := typedefs[t]
	return ok
}

// errByValue is a type that only a pointer may point to.
var errByValue = errors.New("by value")

// baseType combines the specifier words of one declaration.
func baseType(words []string) (CType, error) {
	c := map[string]int{}
	spec := 0
	for _, w := range words {
		c[w]++
		if w != "const" && w != "volatile" {
			spec++
		}
	}
	all := strings.Join(words, " ")
	for _, w := range words {
		if t, ok := typedefs[w]; ok {
			if spec != 1 {
				return CType{}, fmt.Errorf("bad type %q", all)
			}
			return t, nil
		}
	}
	switch {
	case c["struct"]+c["union"] > 0:
		if spec != 2 {
			return CType{}, fmt.Errorf("bad type %q", all)
		}
		return CType{}, fmt.Errorf("%s %w is not supported (pass a pointer)", all, errByValue)
	case c["enum"] > 0:
		if spec != 2 {
			return CType{}, fmt.Errorf("bad type %q", all)
		}
		return CType{Kind: Int, Size: 4, Signed: true}, nil
	case c["float"]+c["double"] > 0:
		return CType{}, fmt.Errorf("floating point (%s) is not supported", all)
	case c["void"] > 0:
		if spec != 1 {
			return CType{}, fmt.Errorf("bad type %q", all)
		}
		return CType{Kind: Void}, nil
	}
	if c["signed"]+c["unsigned"] > 1 || c["char"] > 1 || c["short"] > 1 || c["int"] > 1 || c["long"] > 2 ||
		c["restrict"] > 0 || spec == 0 {
		return CType{}, fmt.Errorf("bad type %q", all)
	}
	t := CType{Kind: Int, Signed: c["unsigned"] == 0}
	switch {
	case c["char"] == 1 && c["short"]+c["long"]+c["int"] == 0:
		t.Size = 1
	case c["short"] == 1 && c["char"]+c["long"] == 0:
		t.Size = 2
	case c["long"] == 2 && c["char"]+c["short"] == 0:
		t.Size = 8
	case c["char"]+c["short"] == 0:
		t.Size = 4 // int, long, signed, unsigned
	default:
		return CType{}, fmt.Errorf("bad type %q", all)
	}
	return t, nil
}
