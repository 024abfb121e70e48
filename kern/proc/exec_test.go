package proc

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"gojos/kern/abi/linux"
)

// tinyELF is a static i386 executable: one PT_LOAD segment (with the
// headers in it) at vaddr holding code, entry at the code.
func tinyELF(vaddr uint32, code []byte) []byte {
	const ehsize, phsize = 52, 32
	b := make([]byte, ehsize+phsize)
	copy(b, "\x7fELF\x01\x01\x01")
	le := binary.LittleEndian
	le.PutUint16(b[16:], 2) // ET_EXEC
	le.PutUint16(b[18:], 3) // EM_386
	le.PutUint32(b[20:], 1) // EV_CURRENT
	le.PutUint32(b[24:], vaddr+ehsize+phsize)
	le.PutUint32(b[28:], ehsize) // e_phoff
	le.PutUint16(b[40:], ehsize)
	le.PutUint16(b[42:], phsize)
	le.PutUint16(b[44:], 1)
	ph := b[ehsize:]
	le.PutUint32(ph[0:], 1) // PT_LOAD
	le.PutUint32(ph[8:], vaddr)
	le.PutUint32(ph[12:], vaddr)
	le.PutUint32(ph[16:], uint32(len(b)+len(code)))
	le.PutUint32(ph[20:], uint32(len(b)+len(code))+0x2000) // some BSS
	le.PutUint32(ph[24:], 5)                               // R+X
	le.PutUint32(ph[28:], 0x1000)
	return append(b, code...)
}

var testProgram = tinyELF(0x08048000, []byte{0xCD, 0x80, 0xEB, 0xFE}) // int $0x80; jmp .

func TestLoadStackLayout(t *testing.T) {
	needHostMemory(t)
	before := hostFrames()
	id := Cred{Ruid: 1000, Euid: 1001, Rgid: 100, Egid: 101}
	img, err := Load(testProgram, []string{"prog", "-x"}, []string{"HOME=/", "PATH=/bin"}, id)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		img.AS.Destroy()
		if n := hostFrames(); n != before {
			t.Errorf("%d frames leaked", n-before)
		}
	}()
	if img.Entry != 0x08048000+84 || img.SP%16 != 0 || img.SP >= StackTop || img.SP < StackTop-StackSize {
		t.Fatalf("entry %#x sp %#x", img.Entry, img.SP)
	}
	word := func(a uint32) uint32 {
		var b [4]byte
		if err := img.AS.CopyIn(a, b[:]); err != nil {
			t.Fatalf("read %#x: %v", a, err)
		}
		return binary.LittleEndian.Uint32(b[:])
	}
	str := func(a uint32) string {
		b := make([]byte, 64)
		img.AS.CopyIn(a, b[:min(64, StackTop-a)])
		return string(b[:bytes.IndexByte(b, 0)])
	}
	sp := img.SP
	if argc := word(sp); argc != 2 {
		t.Fatalf("argc %d", argc)
	}
	if str(word(sp+4)) != "prog" || str(word(sp+8)) != "-x" || word(sp+12) != 0 {
		t.Error("argv")
	}
	if str(word(sp+16)) != "HOME=/" || str(word(sp+20)) != "PATH=/bin" || word(sp+24) != 0 {
		t.Error("envp")
	}
	aux := map[uint32]uint32{}
	for a := sp + 28; ; a += 8 {
		k, v := word(a), word(a+4)
		if k == linux.AT_NULL {
			break
		}
		aux[k] = v
	}
	for k, want := range map[uint32]uint32{linux.AT_PAGESZ: 4096, linux.AT_ENTRY: img.Entry, linux.AT_PHNUM: 1,
		linux.AT_PHENT: 32, linux.AT_UID: 1000, linux.AT_EUID: 1001, linux.AT_GID: 100, linux.AT_EGID: 101,
		linux.AT_PHDR: 0x08048000 + 52} {
		if aux[k] != want {
			t.Errorf("auxv[%d] = %#x, want %#x", k, aux[k], want)
		}
	}
	if str(aux[linux.AT_EXECFN]) != "prog" || aux[linux.AT_RANDOM]%16 != 0 {
		t.Error("AT_EXECFN / AT_RANDOM")
	}
	// The program's bytes are mapped read+exec at their address.
	code := make([]byte, 4)
	if err := img.AS.CopyIn(img.Entry, code); err != nil || !bytes.Equal(code, []byte{0xCD, 0x80, 0xEB, 0xFE}) {
		t.Errorf("code % x, %v", code, err)
	}
}

func TestLoadRefuses(t *testing.T) {
	needHostMemory(t)
	before := hostFrames()
	bad64 := append([]byte(nil), testProgram...)
	bad64[4] = 2 // ELFCLASS64
	dyn := append([]byte(nil), testProgram...)
	binary.LittleEndian.PutUint32(dyn[52:], 3) // PT_INTERP
	rel := append([]byte(nil), testProgram...)
	binary.LittleEndian.PutUint16(rel[16:], 1) // ET_REL
	kern := tinyELF(0xC0100000, []byte{0x90})
	trunc := append([]byte(nil), testProgram...)
	binary.LittleEndian.PutUint32(trunc[52+16:], 1<<20) // p_filesz past the file
	for name, data := range map[string][]byte{"empty": nil, "text": []byte("#!/bin/sh\n"), "64-bit": bad64,
		"dynamic": dyn, "relocatable": rel, "kernel address": kern, "truncated": trunc} {
		if img, err := Load(data, []string{"x"}, nil, RootCred()); err == nil {
			img.AS.Destroy()
			t.Errorf("%s: loaded", name)
		}
	}
	if n := hostFrames(); n != before {
		t.Errorf("%d frames leaked by refused loads", n-before)
	}
}

func TestLoadArgumentsTooLarge(t *testing.T) {
	needHostMemory(t)
	before := hostFrames()
	big := strings.Repeat("a", StackSize)
	if img, err := Load(testProgram, []string{big}, nil, RootCred()); err == nil {
		img.AS.Destroy()
		t.Error("arguments larger than the stack accepted")
	}
	if n := hostFrames(); n != before {
		t.Errorf("%d frames leaked", n-before)
	}
}

// FuzzLoad feeds Load arbitrary executables: it must refuse or load
// without panicking, and leave no frame behind either way.
func FuzzLoad(f *testing.F) {
	f.Add(testProgram, "prog")
	f.Add(tinyELF(0x1000, nil), "")
	f.Add(tinyELF(0xBFFF0000, []byte{1, 2, 3}), "a\x00b")
	f.Fuzz(func(t *testing.T, data []byte, arg string) {
		needHostMemory(t)
		before := hostFrames()
		img, err := Load(data, []string{arg}, []string{arg}, RootCred())
		if err == nil {
			if img.SP%16 != 0 || img.SP >= StackTop {
				t.Errorf("sp %#x", img.SP)
			}
			img.AS.Destroy()
		}
		if n := hostFrames(); n != before {
			t.Fatalf("%d frames leaked (err %v)", n-before, err)
		}
	})
}
