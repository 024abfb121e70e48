package proc

import (
	"bytes"
	"encoding/binary"
	"testing"
	"unsafe"

	"gojos/kern/abi/linux"
	"gojos/kern/vdso"
)

// withVDSO gives exec a vDSO as the trap tier does: two frames holding the
// image and a published data page.
func withVDSO(t *testing.T) (code, data uint32) {
	t.Helper()
	needHostMemory(t)
	var err error
	if code, err = palloc(); err != nil {
		t.Fatal(err)
	}
	if data, err = palloc(); err != nil {
		t.Fatal(err)
	}
	vdso.Build(phys(code))
	(*vdso.Data)(unsafe.Pointer(phys(data))).Publish(2e9, 1000, 0, 1.7e18)
	old := deps.VDSO
	deps.VDSO = [2]uint32{code, data}
	t.Cleanup(func() {
		deps.VDSO = old
		pfree(code)
		pfree(data)
	})
	return code, data
}

func auxv(t *testing.T, img *ExecImage) map[uint32]uint32 {
	t.Helper()
	word := func(a uint32) uint32 {
		var b [4]byte
		if err := img.AS.CopyIn(a, b[:]); err != nil {
			t.Fatalf("read %#x: %v", a, err)
		}
		return binary.LittleEndian.Uint32(b[:])
	}
	a := img.SP + 4 + 4*(word(img.SP)+1) // past argc and argv
	for word(a) != 0 {
		a += 4 // envp
	}
	aux := map[uint32]uint32{}
	for a += 4; word(a) != linux.AT_NULL; a += 8 {
		aux[word(a)] = word(a + 4)
	}
	return aux
}

// frameAt returns the frame mapped at va, 0 if none.
func frameAt(as *AddressSpace, va uint32) uint32 {
	pt, i, err := as.pte(va, false)
	if err != nil || *physWord(pt, i)&pteP == 0 {
		return 0
	}
	return *physWord(pt, i) &^ 0xFFF
}

func TestVDSOMapping(t *testing.T) {
	code, data := withVDSO(t)
	before := hostFrames()
	img1, err := Load(testProgram, []string{"a"}, nil, Cred{})
	if err != nil {
		t.Fatal(err)
	}
	img2, err := Load(testProgram, []string{"b"}, nil, Cred{})
	if err != nil {
		t.Fatal(err)
	}
	as1, as2 := img1.AS, img2.AS
	if got := auxv(t, img1)[linux.AT_SYSINFO_EHDR]; got != VDSOBase {
		t.Errorf("AT_SYSINFO_EHDR = %#x, want %#x", got, VDSOBase)
	}
	// Both processes map the same two frames: nothing copied.
	for _, as := range []*AddressSpace{as1, as2} {
		if frameAt(as, VDSOBase) != code || frameAt(as, VDSOBase+page) != data {
			t.Fatalf("vDSO frames %#x %#x, want %#x %#x", frameAt(as, VDSOBase), frameAt(as, VDSOBase+page), code, data)
		}
	}
	var elf [4]byte
	if err := as1.CopyIn(VDSOBase, elf[:]); err != nil || string(elf[:]) != "\x7fELF" {
		t.Errorf("vDSO reads % x, %v", elf, err)
	}
	if err := as1.CopyOut(VDSOBase+page, []byte{1}); err == nil {
		t.Error("the data page is writable")
	}
	// mmap never picks the vDSO's pages; MAP_FIXED may replace them.
	if a, e := as1.Map(VDSOBase, page, linux.PROT_READ, false); e != 0 || a == VDSOBase || a == VDSOBase+page {
		t.Errorf("mmap with the vDSO as hint gave %#x, errno %d", a, e)
	}
	// MADV_DONTNEED leaves the shared pages.
	if e := as1.Discard(VDSOBase, VDSOSize); e != 0 || frameAt(as1, VDSOBase) != code {
		t.Errorf("after MADV_DONTNEED: errno %d, frame %#x", e, frameAt(as1, VDSOBase))
	}
	// mprotect to writable: a private copy for this process only.
	if e := as1.Protect(VDSOBase, page, linux.PROT_READ|linux.PROT_WRITE); e != 0 {
		t.Fatalf("mprotect: errno %d", e)
	}
	if f := frameAt(as1, VDSOBase); f == code || f == 0 {
		t.Fatalf("mprotect kept frame %#x", f)
	}
	if err := as1.CopyOut(VDSOBase, []byte("XXXX")); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(phys(code)[:4], []byte("\x7fELF")) {
		t.Error("a process's write reached the shared frame")
	}
	if err := as2.CopyIn(VDSOBase, elf[:]); err != nil || string(elf[:]) != "\x7fELF" {
		t.Errorf("the other process reads % x, %v", elf, err)
	}
	// munmap drops the mapping, not the frames.
	if e := as2.Unmap(VDSOBase, VDSOSize); e != 0 {
		t.Fatalf("munmap: errno %d", e)
	}
	if err := as2.CopyIn(VDSOBase, elf[:]); err == nil {
		t.Error("the vDSO is readable after munmap")
	}
	as1.Destroy()
	as2.Destroy()
	if n := hostFrames(); n != before {
		t.Errorf("%d frames leaked", n-before)
	}
	// The shared frames survived both address spaces (phys panics on a
	// freed frame).
	if !bytes.Equal(phys(code)[:4], []byte("\x7fELF")) || (*vdso.Data)(unsafe.Pointer(phys(data))).Seq == 0 {
		t.Error("shared frames changed")
	}
}

// Without a vDSO from the kernel, processes get none.
func TestNoVDSO(t *testing.T) {
	needHostMemory(t)
	img, err := Load(testProgram, []string{"a"}, nil, Cred{})
	if err != nil {
		t.Fatal(err)
	}
	defer img.AS.Destroy()
	if _, ok := auxv(t, img)[linux.AT_SYSINFO_EHDR]; ok || frameAt(img.AS, VDSOBase) != 0 {
		t.Error("a vDSO without Deps.VDSO")
	}
}
