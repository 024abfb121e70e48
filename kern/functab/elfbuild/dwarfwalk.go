package elfbuild

import (
	"debug/dwarf"
	"fmt"
	"strings"
)

// What Go's DWARF says about functions (checked against Go 1.26, linux/386):
//
//   - Every function in the text has a DW_TAG_subprogram with DW_AT_low_pc
//     (a "concrete" one), assembly functions included (without parameters,
//     DW_AT_decl_file naming the .s file).
//   - A function the compiler inlined somewhere also has an "abstract"
//     DW_TAG_subprogram (DW_AT_inline, no address) holding its name and
//     parameters; its out-of-line copy, if any, refers to it with
//     DW_AT_abstract_origin instead of repeating them.
//   - Parameters are DW_TAG_formal_parameter children in declaration order,
//     the receiver first; results are among them with
//     DW_AT_variable_parameter set; unnamed ones are called ~pN and ~rN.
//   - Each inlined call is a DW_TAG_inlined_subroutine, possibly nested in
//     others, whose DW_AT_abstract_origin is the inlined function's abstract
//     subprogram; the code is in the enclosing concrete function.

// rawParam is a formal parameter before its type is resolved.
type rawParam struct {
	off    dwarf.Offset // of its DIE
	origin dwarf.Offset // the abstract parameter it stands for, or 0
	name   string
	typ    dwarf.Offset
	result bool
}

// subprogram is a DW_TAG_subprogram, concrete or abstract.
type subprogram struct {
	name     string
	entry    uint32 // concrete ones
	origin   dwarf.Offset
	declFile string
	wrapper  bool
	params   []rawParam
}

// dwarfFuncs is the walk's result.
type dwarfFuncs struct {
	concrete []*subprogram
	abstract map[dwarf.Offset]*subprogram
	// sites counts inlined calls: abstract origin -> entry of the
	// concrete function holding the code -> number of call sites.
	sites map[dwarf.Offset]map[uint32]int
}

// walkDWARF reads every subprogram and inlined call of d.
func walkDWARF(d *dwarf.Data) (*dwarfFuncs, error) {
	out := &dwarfFuncs{abstract: map[dwarf.Offset]*subprogram{}, sites: map[dwarf.Offset]map[uint32]int{}}
	r := d.Reader()
	var (
		files   []*dwarf.LineFile
		depth   int         // of the next entry
		cur     *subprogram // the subprogram whose children are being read
		curAt   = -1        // its depth
		holder  uint32      // entry of the concrete function being read
		inConcr bool        // reading inside a concrete function
		concrAt = -1        // its depth
	)
	for {
		e, err := r.Next()
		if err != nil {
			return nil, fmt.Errorf("DWARF: %v", err)
		}
		if e == nil {
			return out, nil
		}
		if e.Tag == 0 {
			depth--
			if depth <= curAt {
				cur, curAt = nil, -1
			}
			if depth <= concrAt {
				inConcr, concrAt = false, -1
			}
			continue
		}
		at := depth
		if e.Children {
			depth++
		}
		switch e.Tag {
		case dwarf.TagCompileUnit:
			files = nil
			if lr, err := d.LineReader(e); err == nil && lr != nil {
				files = lr.Files()
			}
		case dwarf.TagSubprogram:
			sp, err := readSubprogram(e, files)
			if err != nil {
				return nil, err
			}
			if low, ok := e.Val(dwarf.AttrLowpc).(uint64); ok {
				if low > 1<<32-1 {
					return nil, fmt.Errorf("DWARF: %s at %#x: not a 32-bit address", sp.name, low)
				}
				sp.entry = uint32(low)
				out.concrete = append(out.concrete, sp)
				holder, inConcr, concrAt = sp.entry, e.Children, at
			} else {
				out.abstract[e.Offset] = sp
			}
			if e.Children {
				cur, curAt = sp, at
			}
		case dwarf.TagFormalParameter:
			if cur == nil || at != curAt+1 {
				break
			}
			p := rawParam{off: e.Offset}
			if o, ok := e.Val(dwarf.AttrAbstractOrigin).(dwarf.Offset); ok {
				p.origin = o // the abstract subprogram has its name and type
				cur.params = append(cur.params, p)
				break
			}
			p.name, _ = e.Val(dwarf.AttrName).(string)
			p.result, _ = e.Val(dwarf.AttrVarParam).(bool)
			typ, ok := e.Val(dwarf.AttrType).(dwarf.Offset)
			if !ok {
				return nil, fmt.Errorf("DWARF: %s: parameter %q has no type", cur.name, p.name)
			}
			p.typ = typ
			cur.params = append(cur.params, p)
		case dwarf.TagInlinedSubroutine:
			origin, ok := e.Val(dwarf.AttrAbstractOrigin).(dwarf.Offset)
			if !ok {
				return nil, fmt.Errorf("DWARF: inlined call at %#x has no abstract origin", e.Offset)
			}
			if !inConcr {
				return nil, fmt.Errorf("DWARF: inlined call at %#x outside a function", e.Offset)
			}
			m := out.sites[origin]
			if m == nil {
				m = map[uint32]int{}
				out.sites[origin] = m
			}
			m[holder]++
		}
	}
}

func readSubprogram(e *dwarf.Entry, files []*dwarf.LineFile) (*subprogram, error) {
	sp := &subprogram{}
	sp.name, _ = e.Val(dwarf.AttrName).(string)
	sp.wrapper, _ = e.Val(dwarf.AttrTrampoline).(bool)
	if o, ok := e.Val(dwarf.AttrAbstractOrigin).(dwarf.Offset); ok {
		sp.origin = o
	} else if sp.name == "" {
		return nil, fmt.Errorf("DWARF: subprogram at %#x has neither name nor abstract origin", e.Offset)
	}
	if i, ok := e.Val(dwarf.AttrDeclFile).(int64); ok && i >= 0 && i < int64(len(files)) && files[i] != nil {
		sp.declFile = files[i].Name
	}
	return sp, nil
}

// resolve completes a concrete subprogram from its abstract origin: name,
// declaration file and parameters.
func (df *dwarfFuncs) resolve(sp *subprogram) (*subprogram, error) {
	if sp.origin == 0 {
		return sp, nil
	}
	a, ok := df.abstract[sp.origin]
	if !ok {
		return nil, fmt.Errorf("DWARF: function at %#x: abstract origin %#x is not a subprogram", sp.entry, sp.origin)
	}
	c := *a
	c.entry, c.origin, c.wrapper = sp.entry, sp.origin, sp.wrapper || a.wrapper
	if sp.name != "" {
		c.name = sp.name
	}
	// The concrete copy lists the parameters in order, those the abstract
	// subprogram describes by reference; unnamed results (~rN) are only
	// here. Every abstract parameter must appear.
	c.params = nil
	used := 0
	for _, p := range sp.params {
		if p.origin == 0 {
			c.params = append(c.params, p)
			continue
		}
		q, ok := findParam(a.params, p.origin)
		if !ok {
			return nil, fmt.Errorf("DWARF: %s: parameter %#x refers to %#x, not a parameter of %#x", c.name, p.off, p.origin, sp.origin)
		}
		c.params = append(c.params, q)
		used++
	}
	if used != len(a.params) {
		return nil, fmt.Errorf("DWARF: %s: the copy at %#x lists %d of the %d parameters of %#x", c.name, sp.entry, used, len(a.params), sp.origin)
	}
	return &c, nil
}

func findParam(ps []rawParam, off dwarf.Offset) (rawParam, bool) {
	for _, p := range ps {
		if p.off == off {
			return p, true
		}
	}
	return rawParam{}, false
}

// isAssemblyFile reports whether a DW_AT_decl_file names assembly source.
func isAssemblyFile(name string) bool {
	return strings.HasSuffix(name, ".s") || strings.HasSuffix(name, ".S")
}
