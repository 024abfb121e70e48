package cproto

import (
	"errors"
	"fmt"
	"strings"
)

// typedef returns the integer type a <stdint.h> or <stddef.h> name stands
// for on i386. (Switches rather than maps here: a map literal is built at
// every boot by the package's initialisation.)
func typedef(name string) (CType, bool) {
	switch name {
	case "int8_t":
		return CType{Kind: Int, Size: 1, Signed: true}, true
	case "uint8_t":
		return CType{Kind: Int, Size: 1}, true
	case "int16_t":
		return CType{Kind: Int, Size: 2, Signed: true}, true
	case "uint16_t":
		return CType{Kind: Int, Size: 2}, true
	case "int32_t", "intptr_t", "ssize_t", "ptrdiff_t":
		return CType{Kind: Int, Size: 4, Signed: true}, true
	case "uint32_t", "uintptr_t", "size_t":
		return CType{Kind: Int, Size: 4}, true
	case "int64_t":
		return CType{Kind: Int, Size: 8, Signed: true}, true
	case "uint64_t":
		return CType{Kind: Int, Size: 8}, true
	case "_Bool", "bool":
		return CType{Kind: Bool, Size: 1}, true
	}
	return CType{}, false
}

// keyword reports whether a word is a C keyword the parser knows.
func keyword(w string) bool {
	switch w {
	case "const", "volatile", "signed", "unsigned", "char", "short", "int", "long", "void",
		"struct", "union", "enum", "float", "double", "restrict":
		return true
	}
	return false
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
			if !isIdent(tag) || keyword(tag) {
				return CType{}, fmt.Errorf("want a tag name after %q", t)
			}
			words = append(words, t, tag)
			continue
		}
		if keyword(t) || isTypedef(t) {
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
	if param && isIdent(p.peek()) && !keyword(p.peek()) && !isTypedef(p.peek()) {
		name := p.next()
		if n := p.peek(); n != "" && n != ")" && n != "," {
			return CType{}, fmt.Errorf("unexpected %q after parameter name %q (arrays and function pointers are not supported)", n, name)
		}
	}
	return base, nil
}

func isIdent(t string) bool { return t != "" && isIdentStart(t[0]) }

func isTypedef(t string) bool {
	_, ok := typedef(t)
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
		if t, ok := typedef(w); ok {
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
