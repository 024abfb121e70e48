package ksym

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// symtabBuilder assembles synthetic .symtab/.strtab bytes.
type symtabBuilder struct {
	sym []byte
	str []byte
}

func newBuilder() *symtabBuilder {
	b := &symtabBuilder{sym: make([]byte, symEntSize), str: []byte{0}}
	return b
}

func (b *symtabBuilder) add(name string, value, size uint32, typ, bind uint8, shndx uint16) {
	off := uint32(len(b.str))
	b.str = append(append(b.str, name...), 0)
	e := make([]byte, symEntSize)
	binary.LittleEndian.PutUint32(e[0:], off)
	binary.LittleEndian.PutUint32(e[4:], value)
	binary.LittleEndian.PutUint32(e[8:], size)
	e[12] = bind<<4 | typ
	binary.LittleEndian.PutUint16(e[14:], shndx)
	b.sym = append(b.sym, e...)
}

const stbGlobal = 1

// sections of the synthetic kernel: 0 null, 1 .text, 2 .rodata, 3 .data, 4 .bss
var testSections = []Section{
	{},
	{Name: ".text", Type: 1, Flags: shfAlloc | shfExecInstr, Addr: 0xc0101000, Size: 0x1000},
	{Name: ".rodata", Type: 1, Flags: shfAlloc, Addr: 0xc0102000, Size: 0x100},
	{Name: ".data", Type: 1, Flags: shfAlloc | shfWrite, Addr: 0xc0103000, Size: 0x100},
	{Name: ".bss", Type: shtNobits, Flags: shfAlloc | shfWrite, Addr: 0xc0104000, Size: 0x100},
}

func testTable(t *testing.T) *Table {
	t.Helper()
	b := newBuilder()
	b.add("kern.go", 0, 0, sttFile, stbLocal, shnAbs)
	b.add("", 0xc0101000, 0, sttSection, stbLocal, 1)
	b.add("runtime.text", 0xc0101000, 0, sttNotype, stbLocal, 1)
	b.add("main.main", 0xc0101000, 0x20, sttFunc, stbGlobal, 1)
	b.add("gojos/kern/kpatch.kpatch_test1", 0xc0101020, 0x10, sttFunc, stbGlobal, 1)
	b.add("gojos/kern/kpatch.kpatch_test2", 0xc0101030, 0x10, sttFunc, stbGlobal, 1)
	b.add("gojos/kern/a.dup", 0xc0101040, 0x10, sttFunc, stbGlobal, 1)
	b.add("gojos/kern/b.dup", 0xc0101050, 0x10, sttFunc, stbGlobal, 1)
	b.add("gojos/kern/a.(*T).Method", 0xc0101060, 0x10, sttFunc, stbGlobal, 1)
	b.add("slices.Sort[go.shape.int]", 0xc0101070, 0x10, sttFunc, stbGlobal, 1)
	b.add("nosize", 0xc0101080, 0, sttNotype, stbLocal, 1) // extent up to next symbol
	b.add("last", 0xc0101100, 0x8, sttFunc, stbGlobal, 1)
	b.add("runtime.rodata", 0xc0102000, 0x10, sttObject, stbLocal, 2)
	b.add("gojos/kern.counter", 0xc0103000, 4, sttObject, stbGlobal, 3)
	b.add("gojos/kern.zeroes", 0xc0104000, 0x40, sttObject, stbLocal, 4)
	b.add("undef", 0, 0, sttNotype, stbGlobal, shnUndef)
	b.add("weakfn", 0xc0101110, 4, sttFunc, stbWeak, 1)
	b.add("abs", 0x1234, 0, sttNotype, stbGlobal, shnAbs)
	tab, err := Parse(b.sym, b.str, testSections)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestLookup(t *testing.T) {
	tab := testTable(t)
	for _, tc := range []struct{ name, want string }{
		{"main.main", "main.main"},
		{"main", "main.main"},
		{"kpatch_test1", "gojos/kern/kpatch.kpatch_test1"},
		{"gojos/kern/kpatch.kpatch_test2", "gojos/kern/kpatch.kpatch_test2"},
		{"kpatch.kpatch_test2", "gojos/kern/kpatch.kpatch_test2"},
		{"a.dup", "gojos/kern/a.dup"},
		{"Method", "gojos/kern/a.(*T).Method"},
		{"Sort[go.shape.int]", "slices.Sort[go.shape.int]"},
		{"nosize", "nosize"},
		{"counter", "gojos/kern.counter"},
	} {
		s, err := tab.Lookup(tc.name)
		if err != nil || s.Name != tc.want {
			t.Errorf("Lookup(%q) = %v, %v; want %s", tc.name, s, err, tc.want)
		}
	}
	for _, name := range []string{"", "nothere", "undef", "kern.go", "x.kpatch_test1"} {
		_, err := tab.Lookup(name)
		var nf *NotFoundError
		if !errors.As(err, &nf) || !errors.Is(err, ErrNotFound) {
			t.Errorf("Lookup(%q) err = %v, want NotFoundError", name, err)
		}
	}
	_, err := tab.Lookup("dup")
	var amb *ErrAmbiguous
	if !errors.As(err, &amb) || len(amb.Candidates) != 2 ||
		amb.Candidates[0].Name != "gojos/kern/a.dup" || amb.Candidates[1].Name != "gojos/kern/b.dup" {
		t.Fatalf("Lookup(dup) = %v", err)
	}
	if !strings.Contains(err.Error(), "gojos/kern/a.dup") || !strings.Contains(err.Error(), "gojos/kern/b.dup") {
		t.Errorf("ambiguity message %q does not list candidates", err)
	}
}

func TestKinds(t *testing.T) {
	tab := testTable(t)
	for _, tc := range []struct {
		name   string
		kind   Kind
		letter byte
	}{
		{"main.main", Func, 'T'},
		{"nosize", Func, 't'}, // untyped in .text
		{"runtime.rodata", Data, 'r'},
		{"gojos/kern.counter", Data, 'D'},
		{"gojos/kern.zeroes", Data, 'b'},
		{"weakfn", Func, 'W'},
		{"abs", Other, 'A'},
	} {
		s, err := tab.Lookup(tc.name)
		if err != nil || s.Kind != tc.kind || s.Letter != tc.letter {
			t.Errorf("%s: %+v %v; want kind %v letter %c", tc.name, s, err, tc.kind, tc.letter)
		}
	}
}

func TestAddr(t *testing.T) {
	tab := testTable(t)
	for _, tc := range []struct {
		addr uint32
		name string
		off  uint32
		ok   bool
	}{
		{0xc0101000, "main.main", 0, true}, // Func beats the untyped runtime.text
		{0xc010101f, "main.main", 0x1f, true},
		{0xc0101021, "gojos/kern/kpatch.kpatch_test1", 1, true},
		{0xc01010ff, "nosize", 0x7f, true},
		{0xc0101107, "last", 7, true},
		{0xc0101108, "", 0, false}, // between last and weakfn
		{0xc0101114, "", 0, false}, // past the end of the last symbol
		{0xc0103002, "gojos/kern.counter", 2, true},
		{0x1000, "", 0, false},
	} {
		s, off, ok := tab.Addr(tc.addr)
		if ok != tc.ok || s.Name != tc.name || off != tc.off {
			t.Errorf("Addr(%#x) = %q+%#x %v; want %q+%#x %v", tc.addr, s.Name, off, ok, tc.name, tc.off, tc.ok)
		}
	}
	if got := tab.FormatAddr(0xc0101021); got != "gojos/kern/kpatch.kpatch_test1+0x1" {
		t.Errorf("FormatAddr = %q", got)
	}
	if got := tab.FormatAddr(0x10); got != "0x10" {
		t.Errorf("FormatAddr = %q", got)
	}
}

func TestModules(t *testing.T) {
	tab := testTable(t)
	n := tab.Len()
	mod := []Sym{
		{Name: "test2", Addr: 0xd0000000, Size: 0x20, Kind: Func, Global: true},
		{Name: "kpatch_test1", Addr: 0xd0000020, Size: 0x10, Kind: Func, Global: true},
		{Name: "table", Addr: 0xd0001000, Size: 0x10, Kind: Data, Global: true},
	}
	g0 := tab.Gen()
	if err := tab.AddModule("test", mod); err != nil {
		t.Fatal(err)
	}
	g1 := tab.Gen()
	if g1 == g0 {
		t.Error("AddModule left Gen as it was")
	}
	if err := tab.AddModule("test", mod); err == nil {
		t.Error("adding a module twice succeeded")
	}
	if tab.Gen() != g1 {
		t.Error("a refused AddModule changed Gen")
	}
	s, err := tab.Lookup("test2")
	if err != nil || s.Addr != 0xd0000000 || s.Module != "test" {
		t.Errorf("Lookup(test2) = %+v, %v", s, err)
	}
	var amb *ErrAmbiguous
	if _, err := tab.Lookup("kpatch_test1"); !errors.As(err, &amb) || !strings.Contains(err.Error(), "kpatch_test1 [test]") {
		t.Errorf("kernel/module clash: %v", err)
	}
	if s, err := tab.Lookup("test:kpatch_test1"); err != nil || s.Module != "test" {
		t.Errorf("test:kpatch_test1 = %+v, %v", s, err)
	}
	if _, err := tab.Lookup("test:nothere"); !errors.Is(err, ErrNotFound) {
		t.Errorf("test:nothere: %v", err)
	}
	if s, off, ok := tab.Addr(0xd0000024); !ok || s.Name != "kpatch_test1" || off != 4 {
		t.Errorf("Addr in module = %+v %#x %v", s, off, ok)
	}
	if got := tab.FormatAddr(0xd0000004); got != "test2+0x4 [test]" {
		t.Errorf("FormatAddr = %q", got)
	}
	var buf bytes.Buffer
	if err := tab.WriteKallsyms(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, line := range []string{
		"c0101000 T main.main\n",
		"c0101020 T gojos/kern/kpatch.kpatch_test1\n",
		"c0104000 b gojos/kern.zeroes\n",
		"d0000000 T test2\t[test]\n",
		"d0001000 D table\t[test]\n",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("kallsyms lacks %q:\n%s", line, out)
		}
	}
	if strings.Index(out, "test2\t[test]") < strings.Index(out, "main.main") {
		t.Error("module symbols should follow kernel symbols")
	}
	g2 := tab.Gen()
	if !tab.RemoveModule("test") || tab.Gen() == g2 {
		t.Error("RemoveModule: Gen unchanged")
	}
	if g3 := tab.Gen(); tab.RemoveModule("test") || tab.Gen() != g3 {
		t.Error("RemoveModule result wrong")
	}
	if tab.Len() != n {
		t.Errorf("Len after remove = %d, want %d", tab.Len(), n)
	}
	if _, err := tab.Lookup("kpatch_test1"); err != nil {
		t.Errorf("after remove: %v", err)
	}
}

func TestParseErrors(t *testing.T) {
	b := newBuilder()
	b.add("f", 1, 1, sttFunc, stbGlobal, 1)
	for _, tc := range []struct {
		name           string
		symtab, strtab []byte
		secs           []Section
		want           string
	}{
		{"odd size", b.sym[:20], b.str, nil, "not a multiple"},
		{"name outside strtab", b.sym, b.str[:1], nil, "outside"},
		{"unterminated", b.sym, b.str[:len(b.str)-1], nil, "NUL"},
		{"bad shndx", b.sym, b.str, testSections[:1], "section index"},
	} {
		_, err := Parse(tc.symtab, tc.strtab, tc.secs)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
	if tab, err := Parse(nil, nil, nil); err != nil || tab.Len() != 0 {
		t.Errorf("empty: %v", err)
	}
}

func TestParseSections(t *testing.T) {
	shstr := []byte("\x00.text\x00")
	hdr := make([]byte, 2*shdrEntSize)
	binary.LittleEndian.PutUint32(hdr[40:], 1)
	binary.LittleEndian.PutUint32(hdr[44:], 1)
	binary.LittleEndian.PutUint32(hdr[48:], shfAlloc|shfExecInstr)
	binary.LittleEndian.PutUint32(hdr[52:], 0xc0101000)
	binary.LittleEndian.PutUint32(hdr[60:], 0x20)
	secs, err := ParseSections(hdr, shdrEntSize, shstr)
	if err != nil || len(secs) != 2 || secs[1].Name != ".text" || secs[1].Addr != 0xc0101000 || secs[1].Size != 0x20 {
		t.Fatalf("ParseSections = %+v, %v", secs, err)
	}
	if _, err := ParseSections(hdr[:50], shdrEntSize, shstr); err == nil {
		t.Error("short table accepted")
	}
	if _, err := ParseSections(hdr, 8, shstr); err == nil {
		t.Error("small entsize accepted")
	}
	if _, err := ParseSections(hdr, shdrEntSize, shstr[:3]); err == nil {
		t.Error("bad name accepted")
	}
}

func FuzzParse(f *testing.F) {
	b := newBuilder()
	b.add("main.main", 0xc0101000, 0x20, sttFunc, stbGlobal, 1)
	b.add("x", 0xc0101010, 0, sttNotype, stbLocal, 1)
	f.Add(b.sym, b.str, uint8(5))
	f.Add(b.sym[:20], b.str, uint8(0))
	f.Add([]byte{}, []byte{}, uint8(1))
	f.Fuzz(func(t *testing.T, symtab, strtab []byte, nsec uint8) {
		var secs []Section
		if nsec > 0 {
			secs = testSections[:int(nsec)%len(testSections)+1]
		}
		tab, err := Parse(symtab, strtab, secs)
		if err != nil {
			return
		}
		tab.Each(func(s Sym) bool {
			if _, err := tab.Lookup(s.Name); err != nil {
				var amb *ErrAmbiguous
				if !errors.As(err, &amb) {
					t.Errorf("Lookup(%q) of an existing symbol: %v", s.Name, err)
				}
			}
			tab.Addr(s.Addr)
			tab.Lookup(ShortName(s.Name))
			return true
		})
		_ = tab.WriteKallsyms(new(bytes.Buffer))
	})
}

func TestShortName(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"main.main", "main"},
		{"gojos/kern/kpatch.kpatch_test1", "kpatch_test1"},
		{"test2", "test2"},
		{"trailing.", "trailing."},
		{"gojos/kern/ksym.(*Table).Lookup", "Lookup"},
		{"slices.Sort[go.shape.int]", "Sort[go.shape.int]"},
		{"pkg.F[go.shape.struct { a.b int }]", "F[go.shape.struct { a.b int }]"},
		{"a[b.c]", "a[b.c]"}, // the only dot is inside brackets
		{"a]b.c", "c"},       // an unmatched ']' does not open anything
		{"a[b.c", "a[b.c"},   // an unclosed '[' hides the dots after it
		{"x.y[z].w", "w"},
	} {
		if got := ShortName(c.in); got != c.want {
			t.Errorf("ShortName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestLookupAfterModuleChanges checks lookups by name against a plain scan
// of Each's symbols, with modules added after the indexes exist and one
// removed.
func TestLookupAfterModuleChanges(t *testing.T) {
	names := []string{"main.main", "main", "kpatch_test1", "gojos/kern/kpatch.kpatch_test2",
		"kpatch.kpatch_test2", "a.dup", "dup", "Method", "Sort[go.shape.int]", "nosize", "counter",
		"nothere", "undef", "kern.go", "x.kpatch_test1", "test2", "late", "table"}
	tab := testTable(t)
	tab.Lookup("main") // builds the indexes
	check := func(stage string) {
		t.Helper()
		for _, n := range names {
			var want []string
			tab.Each(func(s Sym) bool {
				if s.Name == n || (ShortName(s.Name) == n && ShortName(s.Name) != s.Name) {
					want = append(want, s.String())
				}
				return true
			})
			s, err := tab.Lookup(n)
			var amb *ErrAmbiguous
			switch {
			case len(want) == 0 && !errors.Is(err, ErrNotFound) && !strings.Contains(n, "."):
				t.Errorf("%s: Lookup(%q) = %v, %v; want not found", stage, n, s, err)
			case len(want) == 1 && (err != nil || s.String() != want[0]):
				t.Errorf("%s: Lookup(%q) = %v, %v; want %s", stage, n, s, err, want[0])
			case len(want) > 1 && !errors.As(err, &amb):
				t.Errorf("%s: Lookup(%q) = %v, %v; want ambiguous among %v", stage, n, s, err, want)
			}
		}
	}
	check("kernel only")
	mod := []Sym{{Name: "test2", Addr: 0xd0000000, Size: 0x20, Kind: Func, Global: true},
		{Name: "kpatch_test1", Addr: 0xd0000020, Size: 0x10, Kind: Func, Global: true},
		{Name: "table", Addr: 0xd0001000, Size: 0x10, Kind: Data, Global: true}}
	if err := tab.AddModule("test", mod); err != nil {
		t.Fatal(err)
	}
	check("with a module")
	tab.AddModule("late", []Sym{{Name: "late", Addr: 0xd0002000, Size: 4, Kind: Func, Global: true}})
	check("two modules")
	tab.RemoveModule("test")
	check("a module removed")
}

// hashIndex keeps every entry of a hash, in insertion order, across growth.
func TestHashIndex(t *testing.T) {
	var x hashIndex
	for i := int32(0); i < 100; i++ {
		x.insert(uint32(i%7), i) // many entries share a hash
	}
	for h := uint32(0); h < 7; h++ {
		got := x.appendMatches(nil, h, func(int32) bool { return true })
		var want []int32
		for i := int32(h); i < 100; i += 7 {
			want = append(want, i)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("hash %d: %v, want %v", h, got, want)
		}
	}
	if got := x.appendMatches(nil, 99, func(int32) bool { return true }); len(got) != 0 {
		t.Errorf("absent hash: %v", got)
	}
}

// TestRemoveLastModule: removing the latest module updates the indexes in
// place (no rebuild) to exactly what a rebuild makes.
func TestRemoveLastModule(t *testing.T) {
	tab := testTable(t)
	tab.Lookup("main") // builds the indexes
	a := []Sym{{Name: "test2", Addr: 0xd0000000, Size: 0x20, Kind: Func, Global: true},
		{Name: "kpatch_test1", Addr: 0xd0000020, Size: 0x10, Kind: Func, Global: true}}
	b := []Sym{{Name: "late", Addr: 0xc0100010, Size: 4, Kind: Func, Global: true},
		{Name: "table", Addr: 0xd0001000, Size: 0x10, Kind: Data, Global: true},
		{Name: "main.main", Addr: 0xd0002000, Size: 8, Kind: Func}}
	for round := 0; round < 3; round++ {
		if err := tab.AddModule("a", a); err != nil {
			t.Fatal(err)
		}
		if err := tab.AddModule("b", b); err != nil {
			t.Fatal(err)
		}
		for _, m := range []string{"b", "a"} {
			if !tab.RemoveModule(m) {
				t.Fatalf("RemoveModule(%s) = false", m)
			}
			if tab.stale {
				t.Fatalf("removing the latest module %s made the indexes stale", m)
			}
			got := fmt.Sprint(tab.all, tab.byAddr, tab.full.n, tab.short.n)
			matches := func(x *Table) string {
				var out []string
				for _, s := range x.all {
					out = append(out, fmt.Sprint(x.fullMatches(nil, s.Name), x.shortMatches(nil, ShortName(s.Name))))
				}
				return strings.Join(out, " ")
			}
			gotMatches := matches(tab)
			tab.rebuild()
			if want := fmt.Sprint(tab.all, tab.byAddr, tab.full.n, tab.short.n); got != want {
				t.Fatalf("after removing %s: indexes\n%s\nwant (rebuilt)\n%s", m, got, want)
			}
			if want := matches(tab); gotMatches != want {
				t.Fatalf("after removing %s: name matches %s, want %s", m, gotMatches, want)
			}
		}
	}
	// A module that is not the latest makes the indexes stale.
	tab.AddModule("a", a)
	tab.AddModule("b", b)
	tab.RemoveModule("a")
	if !tab.stale {
		t.Error("removing an earlier module left the indexes current")
	}
}

// hashIndex.remove leaves what inserting the remaining entries makes:
// the same matches, in the same order, for every hash.
func TestHashIndexRemove(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 200; trial++ {
		n := 1 + r.IntN(80)
		hashes := make([]uint32, n)
		var x hashIndex
		for i := range hashes {
			hashes[i] = uint32(r.IntN(12)) * 0x10001 // collisions and clusters
			x.insert(hashes[i], int32(i))
		}
		keep := r.IntN(n + 1)
		for i := n - 1; i >= keep; i-- {
			x.remove(hashes[i], int32(i))
		}
		var y hashIndex
		for i := 0; i < keep; i++ {
			y.insert(hashes[i], int32(i))
		}
		if x.n != keep {
			t.Fatalf("trial %d: %d entries after removal, want %d", trial, x.n, keep)
		}
		for h := uint32(0); h < 12; h++ {
			all := func(int32) bool { return true }
			if got, want := fmt.Sprint(x.appendMatches(nil, h*0x10001, all)), fmt.Sprint(y.appendMatches(nil, h*0x10001, all)); got != want {
				t.Fatalf("trial %d, hash %d: %s, want %s", trial, h, got, want)
			}
		}
	}
}
