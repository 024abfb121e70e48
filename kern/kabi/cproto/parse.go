// Package cproto reads the C prototypes modules declare for their functions
// (KPATCH_PROTO in modules/include/gojos/module.h) and matches them against
// Go signatures from the kernel's function table: which Go type each C type
// stands for, and how the Go→C bridge moves the arguments of one call from
// the Go (ABI0) frame into a cdecl call and the C result back (Bridge). Pure
// Go: the module loader checks prototypes at insmod, kpatch matches them,
// host tests run the same code.
//
// C types, on i386 with GCC: [signed|unsigned] char (plain char is signed),
// short, int, long (4 bytes), long long (8), _Bool/bool, the <stdint.h> and
// <stddef.h> integer names, enums (int), and pointers to anything. Floating
// point, structs and unions by value, arrays and function types are not
// supported.
package cproto

import (
	"fmt"
	"strings"
)

// Kind is a C type's kind.
type Kind uint8

// The kinds.
const (
	Void Kind = iota
	Int
	Bool
	Pointer
)

// CType is one C type.
type CType struct {
	Spelling string // normalised: "unsigned int", "const char *"
	Kind     Kind
	Size     uint32 // bytes; 0 for void
	Signed   bool   // for Int
}

func (t CType) String() string { return t.Spelling }

// Proto is a function prototype.
type Proto struct {
	Result CType
	Params []CType
}

// String is the normalised prototype, e.g. "int(char *, unsigned int)".
func (p *Proto) String() string {
	ps := make([]string, len(p.Params))
	for i, t := range p.Params {
		ps[i] = t.Spelling
	}
	if len(ps) == 0 {
		ps = []string{"void"}
	}
	return p.Result.Spelling + "(" + strings.Join(ps, ", ") + ")"
}

// Default is the prototype of a module function that declares none.
const Default = "int(void)"

// MaxParams bounds a prototype's parameters.
const MaxParams = 16

// Parse reads a prototype "RESULT(PARAM, ...)": C types, parameter names
// optional, "(void)" or "()" for none.
func Parse(s string) (*Proto, error) {
	toks, err := tokenize(s)
	if err != nil {
		return nil, fmt.Errorf("prototype %q: %v", s, err)
	}
	p := &parser{toks: toks}
	proto, err := p.proto()
	if err != nil {
		return nil, fmt.Errorf("prototype %q: %v", s, err)
	}
	return proto, nil
}

func tokenize(s string) ([]string, error) {
	var toks []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			i++
		case c == '(' || c == ')' || c == ',' || c == '*':
			toks = append(toks, s[i:i+1])
			i++
		case isIdentStart(c):
			j := i
			for j < len(s) && (isIdentStart(s[j]) || s[j] >= '0' && s[j] <= '9') {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		default:
			return nil, fmt.Errorf("unexpected %q", c)
		}
	}
	return toks, nil
}

func isIdentStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

type parser struct {
	toks []string
	i    int
}

func (p *parser) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return ""
}

func (p *parser) next() string {
	t := p.peek()
	if t != "" {
		p.i++
	}
	return t
}

func (p *parser) expect(t string) error {
	if got := p.next(); got != t {
		if got == "" {
			got = "the end"
		}
		return fmt.Errorf("want %q, found %s", t, quoteTok(got))
	}
	return nil
}

func quoteTok(t string) string {
	if t == "the end" {
		return t
	}
	return fmt.Sprintf("%q", t)
}

func (p *parser) proto() (*Proto, error) {
	res, err := p.typ(false)
	if err != nil {
		return nil, fmt.Errorf("result: %v", err)
	}
	if err := p.expect("("); err != nil {
		return nil, err
	}
	out := &Proto{Result: res}
	if p.peek() == "void" && p.i+1 < len(p.toks) && p.toks[p.i+1] == ")" {
		p.i++
	}
	for p.peek() != ")" {
		if len(out.Params) > 0 {
			if err := p.expect(","); err != nil {
				return nil, err
			}
		}
		t, err := p.typ(true)
		if err != nil {
			return nil, fmt.Errorf("parameter %d: %v", len(out.Params)+1, err)
		}
		if t.Kind == Void {
			return nil, fmt.Errorf("parameter %d is void", len(out.Params)+1)
		}
		if len(out.Params) == MaxParams {
			return nil, fmt.Errorf("more than %d parameters", MaxParams)
		}
		out.Params = append(out.Params, t)
	}
	p.i++
	if p.i != len(p.toks) {
		return nil, fmt.Errorf("unexpected %q after the parameters", p.toks[p.i])
	}
	return out, nil
}
