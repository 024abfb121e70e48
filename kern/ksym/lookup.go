package ksym

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Lookup finds a symbol by name.
//
//   - "mod:name" (mod a loaded module) searches only that module's symbols.
//   - A qualified name (containing '.' or '/', e.g. "gojos/kern/kpatch.kpatch_test1"
//     or "main.main") matches full names exactly.
//   - A bare name ("kpatch_test1", "test2") matches full names (C symbols) and the
//     short names of Go symbols alike; it must match exactly one symbol.
//
// If a qualified name matches nothing exactly, it is tried as a short name too
// ("kpatch.kpatch_test1" finds "gojos/kern/kpatch.kpatch_test1" if unique).
//
// No match is a *NotFoundError; several are an *ErrAmbiguous listing them.
func (t *Table) Lookup(name string) (Sym, error) {
	t.rlock()
	defer t.mu.RUnlock()
	if name == "" {
		return Sym{}, &NotFoundError{Name: name}
	}
	if i := strings.IndexByte(name, ':'); i > 0 {
		if _, ok := t.modules[name[:i]]; ok {
			return t.lookupModule(name[:i], name[i+1:])
		}
	}
	var buf [4]int32   // most names match one symbol: no allocation
	qualified := false // strings.ContainsAny(name, "./"), without its set
	for i := 0; i < len(name) && !qualified; i++ {
		qualified = name[i] == '.' || name[i] == '/'
	}
	cands := t.fullMatches(buf[:0], name)
	if !qualified || len(cands) == 0 {
		cands = t.shortMatches(cands, name)
	}
	if len(cands) == 0 && qualified {
		cands = t.suffixMatches(name)
	}
	return t.pick(name, cands)
}

// suffixMatches finds symbols whose full name ends in "/"+name or "."+name's
// package-qualified form, e.g. "kpatch.kpatch_test1" for
// "gojos/kern/kpatch.kpatch_test1".
func (t *Table) suffixMatches(name string) []int32 {
	var out []int32
	for _, i := range t.shortMatches(nil, ShortName(name)) {
		full := t.all[i].Name
		if strings.HasSuffix(full, "/"+name) {
			out = append(out, i)
		}
	}
	return out
}

func (t *Table) lookupModule(mod, name string) (Sym, error) {
	var cands []int32
	for i := range t.all {
		s := &t.all[i]
		if s.Module == mod && (s.Name == name || ShortName(s.Name) == name) {
			cands = append(cands, int32(i))
		}
	}
	return t.pick(mod+":"+name, cands)
}

// pick returns the one candidate, collapsing identical duplicates.
func (t *Table) pick(name string, cands []int32) (Sym, error) {
	if len(cands) == 1 {
		return t.all[cands[0]], nil
	}
	var uniq []Sym
	for _, i := range cands {
		s := t.all[i]
		dup := false
		for _, u := range uniq {
			if u.Name == s.Name && u.Addr == s.Addr && u.Module == s.Module {
				dup = true
				break
			}
		}
		if !dup {
			uniq = append(uniq, s)
		}
	}
	switch len(uniq) {
	case 0:
		return Sym{}, &NotFoundError{Name: name}
	case 1:
		return uniq[0], nil
	}
	sort.Slice(uniq, func(a, b int) bool {
		if uniq[a].Name != uniq[b].Name {
			return uniq[a].Name < uniq[b].Name
		}
		return uniq[a].Addr < uniq[b].Addr
	})
	return Sym{}, &ErrAmbiguous{Name: name, Candidates: uniq}
}

// maxWalkBack bounds how many lower-addressed symbols Addr examines when the
// nearest one does not contain the address (nested or overlapping symbols).
const maxWalkBack = 16

// Addr maps an address to the function or data symbol containing it and the offset
// into it. A symbol's extent is its st_size, or, when that is 0, up to the next
// symbol's address (the last symbol then matches only its own address).
func (t *Table) Addr(addr uint32) (sym Sym, off uint32, ok bool) {
	t.rlock()
	defer t.mu.RUnlock()
	idx := t.byAddr
	// First index whose address is > addr.
	n := sort.Search(len(idx), func(i int) bool { return t.all[idx[i]].Addr > addr })
	for j, k := n-1, 0; j >= 0 && k < maxWalkBack; j, k = j-1, k+1 {
		s := &t.all[idx[j]]
		off := addr - s.Addr
		if off < t.extent(j) || off == 0 {
			return *s, off, true
		}
	}
	return Sym{}, 0, false
}

// extent is the size of the symbol at byAddr[j] for address matching.
func (t *Table) extent(j int) uint32 {
	s := &t.all[t.byAddr[j]]
	if s.Size != 0 {
		return s.Size
	}
	for k := j + 1; k < len(t.byAddr); k++ {
		if next := t.all[t.byAddr[k]].Addr; next != s.Addr {
			return next - s.Addr
		}
	}
	return 0
}

// Each calls fn for every symbol, kernel symbols first, then each module's in load
// order, until fn returns false. fn must not modify the table.
func (t *Table) Each(fn func(Sym) bool) {
	t.rlock()
	defer t.mu.RUnlock()
	for _, s := range t.all {
		if !fn(s) {
			return
		}
	}
}

// WriteKallsyms writes the table in Linux /proc/kallsyms format: kernel symbols
// sorted by address as "c0123456 T name", then each module's symbols (in load
// order, sorted by address) as "e0001000 T name\t[module]" — Linux's exact layout,
// a tab before the bracketed module name.
func (t *Table) WriteKallsyms(w io.Writer) error {
	t.mu.RLock()
	defer t.mu.RUnlock()
	bw := bufio.NewWriter(w)
	write := func(group []Sym) {
		order := make([]int, len(group))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool { return group[order[a]].Addr < group[order[b]].Addr })
		for _, i := range order {
			s := &group[i]
			letter := s.Letter
			if letter == 0 {
				letter = '?'
			}
			if s.Module != "" {
				fmt.Fprintf(bw, "%08x %c %s\t[%s]\n", s.Addr, letter, s.Name, s.Module)
			} else {
				fmt.Fprintf(bw, "%08x %c %s\n", s.Addr, letter, s.Name)
			}
		}
	}
	write(t.kernel)
	for _, m := range t.order {
		write(t.modules[m])
	}
	return bw.Flush()
}

// FormatAddr renders addr as "name+0xoff" ("name" at offset 0, "name+0x4 [mod]"
// for a module symbol, as Linux's %pS does), or as a bare hex address if no symbol
// contains it.
func (t *Table) FormatAddr(addr uint32) string {
	s, off, ok := t.Addr(addr)
	if !ok {
		return fmt.Sprintf("%#x", addr)
	}
	out := s.Name
	if off != 0 {
		out += fmt.Sprintf("+%#x", off)
	}
	if s.Module != "" {
		out += " [" + s.Module + "]"
	}
	return out
}
