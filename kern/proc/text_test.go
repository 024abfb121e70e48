package proc

import (
	"testing"
	"unsafe"
)

// filePage maps a segment's page to the file's own bytes only where that
// is a whole page of the file starting on a page boundary.
func TestFilePage(t *testing.T) {
	mem := make([]byte, 8*page)
	base := (page - int(uintptr(unsafe.Pointer(&mem[0])))%page) % page // first page-aligned byte
	file := mem[base : base+3*page+100]                                // 3 whole pages and a partial one
	addr := func(b []byte) uintptr { return uintptr(unsafe.Pointer(&b[0])) }
	const vaddr = 0x08048000
	for _, c := range []struct {
		name     string
		seg      []byte
		vaddr    uint32
		pva      uint32
		want     uintptr
		wantPage bool
	}{
		{"first page", file[:2*page], vaddr, vaddr, addr(file), true},
		{"second page", file[:2*page], vaddr, vaddr + page, addr(file[page:]), true},
		{"a segment in the file's middle", file[page+16 : 2*page], vaddr + page + 16, vaddr + page, addr(file[page:]), true},
		{"the file's partial last page", file[3*page:], vaddr + 3*page, vaddr + 3*page, 0, false},
		{"before the file", file[16:page], vaddr + 16 + page, vaddr, 0, false},
		{"not page-aligned in memory", file[1 : 1+page], vaddr, vaddr, 0, false},
	} {
		got, ok := filePage(file, c.seg, c.vaddr, c.pva)
		if ok != c.wantPage || ok && got != c.want {
			t.Errorf("%s: %#x, %v; want %#x, %v", c.name, got, ok, c.want, c.wantPage)
		}
	}
}
