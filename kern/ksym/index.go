package ksym

import "sort"

// The table's indexes, over all (the kernel's symbols followed by each
// module's in load order), built at the first lookup rather than at Parse
// (the boot does not need them), extended in place when a module is added
// and rebuilt lazily after one is removed:
//
//   - byAddr, the Func and Data symbols sorted by address;
//   - full and short, open-addressing hash tables from a name (a symbol's
//     full name, and its short name where that differs) to the symbols that
//     have it. Their hash (nameHash) reads a few bytes of a name, not all of
//     it, and no hardware string hashing is needed: for the kernel's ~6,000
//     symbols they build several times faster than Go maps under emulation,
//     and a lookup stays a few probes.

// hashIndex maps 32-bit name hashes to symbol indices: linear probing over
// a power-of-two table at most half full. Entries with one hash are met in
// the order they were inserted (index order), and a lookup compares names
// only where the hash matches.
type hashIndex struct {
	slot []int32  // symbol index + 1; 0 = empty
	hash []uint32 // the hash of the entry in the same slot
	n    int
}

func newHashIndex(n int) hashIndex {
	size := 16
	for size < 2*n {
		size <<= 1
	}
	return hashIndex{slot: make([]int32, size), hash: make([]uint32, size)}
}

func (x *hashIndex) insert(h uint32, i int32) {
	if 2*(x.n+1) > len(x.slot) {
		old := *x
		*x = newHashIndex(x.n + 1)
		for k, s := range old.slot {
			if s != 0 {
				x.insert(old.hash[k], s-1)
			}
		}
	}
	mask := uint32(len(x.slot) - 1)
	j := h & mask
	for x.slot[j] != 0 {
		j = (j + 1) & mask
	}
	x.slot[j], x.hash[j] = i+1, h
	x.n++
}

// remove deletes the entry for index i, inserted with hash h, if there
// is one: the slots after it in its probe cluster that may move up fill
// the gap (backward-shift deletion), so no lookup sees a hole that
// insertion would not have left. Entries with one hash keep their order.
func (x *hashIndex) remove(h uint32, i int32) {
	if len(x.slot) == 0 {
		return
	}
	mask := uint32(len(x.slot) - 1)
	j := h & mask
	for x.slot[j] != i+1 {
		if x.slot[j] == 0 {
			return
		}
		j = (j + 1) & mask
	}
	for k := (j + 1) & mask; x.slot[k] != 0; k = (k + 1) & mask {
		// The entry at k may fill j unless its home lies cyclically in
		// (j, k]: then a lookup from its home would not pass j.
		home := x.hash[k] & mask
		if (k-home)&mask >= (k-j)&mask {
			x.slot[j], x.hash[j] = x.slot[k], x.hash[k]
			j = k
		}
	}
	x.slot[j], x.hash[j] = 0, 0
	x.n--
}

// appendMatches appends to dst, in index order, the indices whose entry has
// hash h and for which match is true.
func (x *hashIndex) appendMatches(dst []int32, h uint32, match func(i int32) bool) []int32 {
	if len(x.slot) == 0 {
		return dst
	}
	mask := uint32(len(x.slot) - 1)
	for j := h & mask; x.slot[j] != 0; j = (j + 1) & mask {
		if i := x.slot[j] - 1; x.hash[j] == h && match(i) {
			dst = append(dst, i)
		}
	}
	return dst
}

// nameHash hashes a name's length and last 8 bytes (Go names share long
// package prefixes; their ends tell them apart) with FNV-1a. Hashes that
// collide only cost a string compare.
func nameHash(s string) uint32 {
	h := uint32(len(s)) * 0x9E3779B1
	if len(s) > 8 {
		s = s[len(s)-8:]
	}
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return h
}

// Warm builds the indexes now rather than at the first lookup.
func (t *Table) Warm() {
	t.rlock()
	t.mu.RUnlock()
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
	t.full = newHashIndex(room)
	t.short = newHashIndex(room)
	t.byAddr = make([]int32, 0, room)
	t.add(t.kernel)
	for _, m := range t.order {
		t.add(t.modules[m])
	}
	// Sorted by address, functions first at one address, then by index
	// (addrLess and a stable sort): as one key per symbol, which sorts
	// without calling a comparison function.
	// The keys go in order of their low half (functions first, then by
	// index), so that a stable sort by address leaves them sorted.
	keys := make([]uint64, 0, len(t.byAddr))
	for pass := 0; pass < 2; pass++ {
		for _, i := range t.byAddr {
			s := &t.all[i]
			if (s.Kind == Func) != (pass == 0) {
				continue
			}
			keys = append(keys, uint64(s.Addr)<<32|uint64(pass)<<31|uint64(i))
		}
	}
	sortHigh(keys)
	for k, key := range keys {
		t.byAddr[k] = int32(key & (1<<31 - 1))
	}
}

// sortHigh sorts keys by their high 32 bits, stably: keys already in
// order of their low 32 bits end in increasing order, as slices.Sort would
// leave them. It is a least-significant-digit radix sort, a byte at a time,
// skipping the bytes every key shares. rebuild's ~6,000 keys at every boot
// took slices.Sort about 3 M instructions on 386 (64-bit comparisons).
func sortHigh(keys []uint64) {
	tmp := make([]uint64, len(keys))
	src, dst := keys, tmp
	for shift := uint32(0); shift < 32; shift += 8 {
		var count [256]int
		for _, k := range src {
			count[byte(uint32(k>>32)>>shift)]++
		}
		if len(src) == 0 || count[byte(uint32(src[0]>>32)>>shift)] == len(src) {
			continue // every key has this byte: the order stands
		}
		pos := 0
		for d, c := range count {
			count[d] = pos
			pos += c
		}
		for _, k := range src {
			d := byte(uint32(k>>32) >> shift)
			dst[count[d]] = k
			count[d]++
		}
		src, dst = dst, src
	}
	if len(keys) > 0 && &src[0] != &keys[0] {
		copy(keys, src)
	}
}

// add appends syms to all and to the name indexes, and their Func and
// Data symbols to byAddr (unsorted).
func (t *Table) add(syms []Sym) {
	for j := range syms {
		s := &syms[j] // not a copy: a Sym is eight words
		i := int32(len(t.all))
		t.all = append(t.all, *s)
		t.full.insert(nameHash(s.Name), i)
		if sn := ShortName(s.Name); sn != s.Name {
			t.short.insert(nameHash(sn), i)
		}
		if s.Kind == Func || s.Kind == Data {
			t.byAddr = append(t.byAddr, i)
		}
	}
}

// truncate removes the symbols from index n on — the last module's —
// from current indexes, giving the same result as a rebuild without them.
// Only the few removed entries are touched in the name indexes; byAddr is
// filtered in one pass. (The first lookup after an rmmod rebuilt all of a
// kernel's ~6,000 symbols before: about 10 ms under emulation.) The caller
// holds t.mu for writing.
func (t *Table) truncate(n int) {
	for i := len(t.all) - 1; i >= n; i-- {
		s := &t.all[i]
		t.full.remove(nameHash(s.Name), int32(i))
		if sn := ShortName(s.Name); sn != s.Name {
			t.short.remove(nameHash(sn), int32(i))
		}
	}
	clear(t.all[n:]) // no references to the module's names stay behind
	t.all = t.all[:n]
	k := 0
	for _, i := range t.byAddr {
		if int(i) < n {
			t.byAddr[k] = i
			k++
		}
	}
	t.byAddr = t.byAddr[:k]
}

// fullMatches appends the indices of the symbols called name to dst, in
// index order.
func (t *Table) fullMatches(dst []int32, name string) []int32 {
	return t.full.appendMatches(dst, nameHash(name), func(i int32) bool { return t.all[i].Name == name })
}

// shortMatches appends the indices of the symbols whose short name is name
// and differs from their full name, in index order.
func (t *Table) shortMatches(dst []int32, name string) []int32 {
	return t.short.appendMatches(dst, nameHash(name), func(i int32) bool { return ShortName(t.all[i].Name) == name })
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
