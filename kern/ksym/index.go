package ksym

import (
	"slices"
	"sort"
)

// The table's indexes: by full name, by short name and by address, over all
// (the kernel's symbols followed by each module's in load order). They are
// built at the first lookup rather than at Parse (the boot does not need
// them), extended in place when a module is added, and rebuilt lazily after
// a module is removed.

// nameIndex maps a name to the indices of the symbols that have it, in
// increasing order. Most names belong to one symbol: those are kept without
// a slice of their own, which makes building the kernel's index several
// thousand allocations cheaper.
type nameIndex struct {
	first map[string]int32
	more  map[string][]int32 // the second and later symbols of a name
}

func newNameIndex(n int) nameIndex {
	return nameIndex{first: make(map[string]int32, n), more: map[string][]int32{}}
}

func (x *nameIndex) add(name string, i int32) {
	if _, ok := x.first[name]; !ok {
		x.first[name] = i
		return
	}
	x.more[name] = append(x.more[name], i)
}

// appendTo appends the indices of name's symbols to dst.
func (x *nameIndex) appendTo(dst []int32, name string) []int32 {
	if i, ok := x.first[name]; ok {
		dst = append(dst, i)
		dst = append(dst, x.more[name]...)
	}
	return dst
}

// rlock read-locks t with its indexes current (building them first if they
// are stale).
func (t *Table) rlock() {
	for {
		t.mu.RLock()
		if !t.stale {
			return
		}
		t.mu.RUnlock()
		t.mu.Lock()
		if t.stale {
			t.rebuild()
			t.stale = false
		}
		t.mu.Unlock()
	}
}

// rebuild recomputes the indexes from the kernel's and the modules'
// symbols. The caller holds t.mu for writing.
func (t *Table) rebuild() {
	n := len(t.kernel)
	for _, m := range t.order {
		n += len(t.modules[m])
	}
	room := n + n/8 // for modules added later without moving everything
	t.all = make([]Sym, 0, room)
	t.full = newNameIndex(n)
	t.short = newNameIndex(n)
	t.byAddr = make([]int32, 0, room)
	t.add(t.kernel)
	for _, m := range t.order {
		t.add(t.modules[m])
	}
	slices.SortStableFunc(t.byAddr, func(i, j int32) int {
		switch {
		case t.addrLess(i, j):
			return -1
		case t.addrLess(j, i):
			return 1
		}
		return 0
	})
}

// add appends syms to all and to the name indexes, and their Func and
// Data symbols to byAddr (unsorted).
func (t *Table) add(syms []Sym) {
	for _, s := range syms {
		i := int32(len(t.all))
		t.all = append(t.all, s)
		t.full.add(s.Name, i)
		if sn := ShortName(s.Name); sn != s.Name {
			t.short.add(sn, i)
		}
		if s.Kind == Func || s.Kind == Data {
			t.byAddr = append(t.byAddr, i)
		}
	}
}

// addrLess orders byAddr: by address, functions first at one address (and
// by index otherwise: the sort is stable).
func (t *Table) addrLess(i, j int32) bool {
	x, y := &t.all[i], &t.all[j]
	if x.Addr != y.Addr {
		return x.Addr < y.Addr
	}
	return x.Kind == Func && y.Kind != Func
}

// extend adds a module's symbols to current indexes, giving the same
// result as a rebuild: they come last in all, and each goes into byAddr
// after every symbol it does not sort before (a stable sort keeps equal
// keys in index order, and theirs are the highest). The caller holds t.mu
// for writing.
func (t *Table) extend(syms []Sym) {
	start := len(t.byAddr)
	t.add(syms)
	added := append([]int32(nil), t.byAddr[start:]...)
	t.byAddr = t.byAddr[:start]
	for _, i := range added {
		at := sort.Search(len(t.byAddr), func(k int) bool { return t.addrLess(i, t.byAddr[k]) })
		t.byAddr = append(t.byAddr, 0)
		copy(t.byAddr[at+1:], t.byAddr[at:])
		t.byAddr[at] = i
	}
}
