package vdso

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/arch/x86/x86asm"
)

func image(t *testing.T) (*[PageSize]byte, int, *elf.File) {
	t.Helper()
	var page [PageSize]byte
	for i := range page {
		page[i] = 0xAA // Build must clear what it does not write
	}
	n := Build(&page)
	f, err := elf.NewFile(bytes.NewReader(page[:]))
	if err != nil {
		t.Fatalf("debug/elf cannot read the image: %v", err)
	}
	return &page, n, f
}

func TestELF(t *testing.T) {
	page, n, f := image(t)
	if f.Class != elf.ELFCLASS32 || f.Data != elf.ELFDATA2LSB || f.Type != elf.ET_DYN || f.Machine != elf.EM_386 {
		t.Fatalf("header: %v %v %v %v", f.Class, f.Data, f.Type, f.Machine)
	}
	if len(f.Progs) != 2 || f.Progs[0].Type != elf.PT_LOAD || f.Progs[1].Type != elf.PT_DYNAMIC {
		t.Fatalf("program headers: %v", f.Progs)
	}
	// The runtime's load offset is base + p_offset - p_vaddr of the first
	// PT_LOAD: the image must be linked at 0 with offset == vaddr.
	if l := f.Progs[0]; l.Off != 0 || l.Vaddr != 0 || l.Filesz != PageSize || l.Flags != elf.PF_R|elf.PF_X {
		t.Errorf("PT_LOAD %+v", l.ProgHeader)
	}
	if d := f.Progs[1]; d.Off != d.Vaddr || d.Off+d.Filesz > PageSize {
		t.Errorf("PT_DYNAMIC %+v", d.ProgHeader)
	}
	for _, tag := range []elf.DynTag{elf.DT_HASH, elf.DT_STRTAB, elf.DT_SYMTAB, elf.DT_VERSYM, elf.DT_VERDEF} {
		v, err := f.DynValue(tag)
		if err != nil || len(v) != 1 || v[0] == 0 || v[0] >= PageSize {
			t.Errorf("%v = %v, %v", tag, v, err)
		}
	}
	syms, err := f.DynamicSymbols()
	if err != nil {
		t.Fatal(err)
	}
	if len(syms) != 1 {
		t.Fatalf("dynamic symbols %+v", syms)
	}
	s := syms[0]
	if s.Name != "__vdso_clock_gettime" || s.Version != "LINUX_2.6" || elf.ST_BIND(s.Info) != elf.STB_GLOBAL ||
		elf.ST_TYPE(s.Info) != elf.STT_FUNC || s.Value != uint64(Symbol) || s.Size != uint64(n) {
		t.Errorf("symbol %+v", s)
	}
	text := f.Section(".text")
	if text == nil || int(s.Section) >= len(f.Sections) || f.Sections[s.Section] != text || text.Addr != s.Value {
		t.Errorf("symbol section %v, .text %+v", s.Section, text)
	}
	vers, err := f.DynamicVersions()
	if err != nil || len(vers) != 2 || vers[0].Flags&elf.VER_FLG_BASE == 0 || vers[1].Name != "LINUX_2.6" || vers[1].Index != 2 {
		t.Errorf("versions %+v, %v", vers, err)
	}
	// What the runtime compares: vd_hash of LINUX_2.6, and the symbol
	// found through bucket[hash % nbucket] and the chain.
	vd := verdefOff + 28
	if h := binary.LittleEndian.Uint32(page[vd+8:]); h != 0x3ae75f6 || ElfHash("LINUX_2.6") != h {
		t.Errorf("vd_hash %#x", h)
	}
	h := ElfHash("__vdso_clock_gettime")
	if h != 0xd35ec75 {
		t.Errorf("ElfHash = %#x", h)
	}
	nb := binary.LittleEndian.Uint32(page[hashOff:])
	idx := binary.LittleEndian.Uint32(page[hashOff+8+4*(h%nb):])
	if idx != 1 {
		t.Errorf("hash lookup gives symbol %d", idx)
	}
	if vs := binary.LittleEndian.Uint16(page[versymOff+2:]); vs != 2 {
		t.Errorf("versym[1] = %d", vs)
	}
	if textOff+n > PageSize {
		t.Errorf("code ends at %#x", textOff+n)
	}
	for i := textOff + n; i < PageSize; i++ {
		if page[i] != 0 {
			t.Fatalf("byte %#x after the code not cleared", i)
		}
	}
}

// The code, decoded, must be exactly this (Intel syntax; the data page's
// fields are at EBP + (PageSize - the pop's offset) + field).
func TestCode(t *testing.T) {
	page, n, _ := image(t)
	code := page[textOff : textOff+n]
	var got []string
	for pc := 0; pc < len(code); {
		in, err := x86asm.Decode(code[pc:], 32)
		if err != nil {
			t.Fatalf("decode at +%#x: %v", pc, err)
		}
		s := x86asm.IntelSyntax(in, uint64(textOff+pc), nil)
		got = append(got, s)
		pc += in.Len
	}
	d := func(off int) string { return fmt.Sprintf("%#x", PageSize-(textOff+9)+off) }
	want := []string{
		"push ebp", "push edi", "push esi", "push ebx",
		fmt.Sprintf("call %#x", textOff+9), "pop ebp",
		"mov ecx, dword ptr [esp+0x14]",
		"xor edi, edi",
		"cmp ecx, 0x1", "jz 0x", "cmp ecx, 0x4", "jz 0x", "cmp ecx, 0x7", "jz 0x",
		"test ecx, ecx", "jnz 0x", "inc edi",
		"mov esi, dword ptr [ebp+" + d(offSeq) + "]",
		"test esi, esi", "jz 0x", "test esi, 0x1", "jnz 0x",
		"rdtsc",
		"sub eax, dword ptr [ebp+" + d(offTSC0) + "]",
		"sbb edx, dword ptr [ebp+" + d(offTSC0+4) + "]",
		"mov ecx, edx",
		"mul dword ptr [ebp+" + d(offMult) + "]",
		"mov ebx, eax", "mov eax, ecx", "mov ecx, edx",
		"mul dword ptr [ebp+" + d(offMult) + "]",
		"add eax, ecx", "adc edx, 0x0",
		"mov ecx, dword ptr [ebp+" + d(offShift) + "]",
		"shrd ebx, eax, cl", "shrd eax, edx, cl",
		"add ebx, dword ptr [ebp+" + d(offMono0) + "]",
		"adc eax, dword ptr [ebp+" + d(offMono0+4) + "]",
		"test edi, edi", "jz 0x",
		"add ebx, dword ptr [ebp+" + d(offRealOff) + "]",
		"adc eax, dword ptr [ebp+" + d(offRealOff+4) + "]",
		"cmp esi, dword ptr [ebp+" + d(offSeq) + "]", "jnz 0x",
		"mov ecx, 0x3b9aca00", "xor edx, edx", "div ecx", "mov eax, ebx", "div ecx",
		"mov ecx, dword ptr [esp+0x18]",
		"mov dword ptr [ecx], eax", "mov dword ptr [ecx+0x4], edx",
		"xor eax, eax", "pop ebx", "pop esi", "pop edi", "pop ebp", "ret",
		"mov eax, 0x109",
		"mov ebx, dword ptr [esp+0x14]", "mov ecx, dword ptr [esp+0x18]",
		"int 0x80", "pop ebx", "pop esi", "pop edi", "pop ebp", "ret",
	}
	if len(got) != len(want) {
		t.Fatalf("%d instructions, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) || (!strings.HasPrefix(want[i], "j") && got[i] != want[i]) {
			t.Errorf("instruction %d: %q, want %q", i, got[i], want[i])
		}
	}
	// The jumps: every target is an instruction boundary and the right one.
	target := map[string]string{}
	addrs := map[int]int{} // offset -> instruction index
	for pc, i := 0, 0; pc < len(code); i++ {
		in, _ := x86asm.Decode(code[pc:], 32)
		addrs[pc] = i
		pc += in.Len
	}
	for pc := 0; pc < len(code); {
		in, _ := x86asm.Decode(code[pc:], 32)
		if rel, ok := in.Args[0].(x86asm.Rel); ok && in.Op != x86asm.CALL {
			to := pc + in.Len + int(rel)
			k, ok := addrs[to]
			if !ok {
				t.Errorf("jump at +%#x into the middle of an instruction", pc)
			} else {
				target[fmt.Sprintf("%s@%d", got[addrs[pc]], addrs[pc])] = want[k]
			}
		}
		pc += in.Len
	}
	wantTargets := map[int]string{
		9: "mov esi", 11: "mov esi", 13: "mov esi", // the three monotonic clocks
		15: "mov eax, 0x109", 19: "mov eax, 0x109", 21: "mov eax, 0x109", // fallbacks
		39: "cmp esi", // no real-time offset
		43: "mov esi", // retry
	}
	for k, v := range target {
		i, _ := strconv.Atoi(k[strings.IndexByte(k, '@')+1:])
		if w, ok := wantTargets[i]; !ok || !strings.HasPrefix(v, w) {
			t.Errorf("jump %s goes to %q, want %q", k, v, w)
		}
	}
	if len(target) != len(wantTargets) {
		t.Errorf("%d jumps, want %d", len(target), len(wantTargets))
	}
}

func TestBuildDoesNotAllocate(t *testing.T) {
	var page [PageSize]byte
	if n := testing.AllocsPerRun(10, func() { Build(&page) }); n != 0 {
		t.Errorf("Build allocates %v times", n)
	}
	var d Data
	if n := testing.AllocsPerRun(10, func() { d.Publish(2e9, 5, 6, 7) }); n != 0 {
		t.Errorf("Publish allocates %v times", n)
	}
}

// exact is the trap path's nanotime: floor(delta*1e9/hz).
func exact(delta, hz uint64) uint64 {
	return delta/hz*1e9 + delta%hz*1e9/hz
}

func TestScale(t *testing.T) {
	for _, hz := range []uint64{1, 1000, 125e6, 999999999, 1e9, 1e9 + 1, 2.4e9, 3.6e9, 1 << 40} {
		m, s, ok := Scale(hz)
		if !ok || s > 31 {
			t.Errorf("Scale(%d) = %d, %d, %v", hz, m, s, ok)
			continue
		}
		// mult is floor(1e9 * 2^s / hz), and as precise as 32 bits allow.
		if uint64(m)*hz > 1e9<<s || (uint64(m)+1)*hz <= 1e9<<s {
			t.Errorf("Scale(%d): mult %d shift %d is not the floor", hz, m, s)
		}
		if s < 31 && m < 1<<31 {
			t.Errorf("Scale(%d): mult %d shift %d wastes precision", hz, m, s)
		}
	}
	if _, _, ok := Scale(0); ok {
		t.Error("Scale(0) ok")
	}
}

func TestNanos(t *testing.T) {
	var d Data
	if _, ok := d.Nanos(123); ok {
		t.Error("an unpublished page is valid")
	}
	for _, hz := range []uint64{125e6, 1e9, 2399999999, 3.6e9} {
		const tsc0 = 1 << 35
		const mono0 = 12345678901
		d.Publish(hz, tsc0, mono0, 1_700_000_000e9)
		if d.Seq == 0 || d.Seq&1 != 0 {
			t.Fatalf("seq %d after Publish", d.Seq)
		}
		prev := uint64(0)
		// Within one tick period up to a whole day since the epoch: never
		// ahead of the exact value, behind by the multiplier's rounding.
		for _, delta := range []uint64{0, 1, 2, 999, hz / 1000, hz / 3, hz, 7*hz + 12345, 600 * hz, 86400 * hz} {
			got, ok := d.Nanos(tsc0 + delta)
			if !ok {
				t.Fatal("valid page not ok")
			}
			want := mono0 + exact(delta, hz)
			// mult is at most 1 below 1e9*2^shift/hz: at most
			// delta>>shift ns lost, plus the final rounding.
			slack := 2 + delta>>d.Shift
			if got > want || want-got > slack {
				t.Errorf("hz %d delta %d: %d, exact %d", hz, delta, got, want)
			}
			if got < prev {
				t.Errorf("hz %d delta %d: went backwards", hz, delta)
			}
			prev = got
		}
	}
}

// A new epoch, published from the exact clock as the trap tier does each
// second, never makes the clock go backwards.
func TestEpochMonotonic(t *testing.T) {
	const hz = 2399999999
	var d Data
	d.Publish(hz, 1000, 0, 0)
	last := uint64(0)
	tsc := uint64(1000)
	for epoch := 0; epoch < 50; epoch++ {
		for i := 0; i < 200; i++ {
			tsc += hz / 997
			ns, _ := d.Nanos(tsc)
			if ns < last {
				t.Fatalf("epoch %d: %d after %d", epoch, ns, last)
			}
			last = ns
		}
		d.Publish(hz, tsc, exact(tsc-1000, hz), 0)
	}
	seq := d.Seq
	d.Publish(0, 0, 0, 0) // a bad rate invalidates the page
	if _, ok := d.Nanos(tsc); ok || d.Seq == seq {
		t.Error("Publish with hz 0 left the page valid")
	}
}
