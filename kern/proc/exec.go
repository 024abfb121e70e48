package proc

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"

	"gojos/kern/abi/elf32"
	"gojos/kern/abi/linux"
)

// ExecImage is a program loaded into a fresh address space.
type ExecImage struct {
	AS    *AddressSpace
	Entry uint32
	SP    uint32
}

// Load checks that data is a static linux/386 executable, maps it into a
// new address space and builds the Linux initial stack (argc, argv, envp,
// auxv, whose AT_UID… entries are id's) for it.
func Load(data []byte, argv, envp []string, id Cred) (*ExecImage, error) {
	f, err := elf32.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("not an i386 ELF executable: %v", err)
	}
	if f.Type != elf32.ETExec {
		return nil, fmt.Errorf("not a static executable (ELF type %d)", f.Type)
	}
	for _, p := range f.Progs {
		if p.Type == elf32.PTInterp || p.Type == elf32.PTDynamic {
			return nil, fmt.Errorf("dynamically linked programs are not supported")
		}
	}
	as, err := NewAddressSpace()
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			as.Destroy()
		}
	}()
	var phdr, end uint32
	for _, p := range f.Progs {
		if p.Type != elf32.PTLoad || p.Memsz == 0 {
			continue
		}
		if p.Filesz > p.Memsz || uint64(p.Off)+uint64(p.Filesz) > uint64(len(data)) ||
			p.Vaddr < UserLo || uint64(p.Vaddr)+uint64(p.Memsz) > StackTop-StackSize {
			return nil, fmt.Errorf("bad program header at %#x", p.Vaddr)
		}
		start := p.Vaddr &^ (page - 1)
		size := (p.Vaddr + p.Memsz - start + page - 1) &^ (page - 1)
		prot := uint32(linux.PROT_READ)
		if p.Flags&elf32.PFW != 0 {
			prot |= linux.PROT_WRITE
		}
		if p.Flags&elf32.PFX != 0 {
			prot |= linux.PROT_EXEC
		}
		// A read-only segment of a file in the initrd: the initrd's own
		// pages where whole, frames filled at its first exec elsewhere,
		// shared by every exec (text.go).
		if prot&linux.PROT_WRITE == 0 && p.Filesz == p.Memsz && p.Vaddr%page == p.Off%page {
			fs, ok, err := sharedFrames(data, data[p.Off:p.Off+p.Filesz], p.Vaddr, start, size/page)
			if err != nil {
				return nil, err
			}
			if ok {
				if _, e := as.Map(start, size, prot, true); e != 0 {
					return nil, fmt.Errorf("mapping segment at %#x: errno %d", start, e)
				}
				if err := as.mapShared(start, fs); err != nil {
					return nil, err
				}
				if f.Phoff >= p.Off && f.Phoff-p.Off < p.Filesz {
					phdr = p.Vaddr + f.Phoff - p.Off // AT_PHDR
				}
				end = max(end, start+size)
				continue
			}
		}
		// Map writable while loading, then apply the real protection.
		if _, e := as.Map(start, size, linux.PROT_READ|linux.PROT_WRITE, true); e != 0 {
			return nil, fmt.Errorf("mapping segment at %#x: errno %d", start, e)
		}
		if err := as.CopyOut(p.Vaddr, data[p.Off:p.Off+p.Filesz]); err != nil {
			return nil, err
		}
		as.Protect(start, size, prot)
		if f.Phoff >= p.Off && f.Phoff-p.Off < p.Filesz {
			phdr = p.Vaddr + f.Phoff - p.Off // AT_PHDR
		}
		end = max(end, start+size)
	}
	as.brk = end
	if _, e := as.Map(StackTop-StackSize, StackSize, linux.PROT_READ|linux.PROT_WRITE, true); e != 0 {
		return nil, fmt.Errorf("mapping the stack: errno %d", e)
	}
	if err := as.mapVDSO(); err != nil {
		return nil, err
	}
	sp, err := buildStack(as, argv, envp, f.Entry, phdr, uint32(len(f.Progs)), id)
	if err != nil {
		return nil, err
	}
	ok = true
	return &ExecImage{AS: as, Entry: f.Entry, SP: sp}, nil
}

// buildStack writes the strings, AT_RANDOM bytes and the argc/argv/envp/auxv
// vectors below StackTop and returns the initial stack pointer.
func buildStack(as *AddressSpace, argv, envp []string, entry, phdr, phnum uint32, id Cred) (uint32, error) {
	sp := uint32(StackTop)
	push := func(b []byte) (uint32, error) {
		sp -= uint32(len(b))
		return sp, as.CopyOut(sp, b)
	}
	pushStr := func(s string) (uint32, error) { return push(append([]byte(s), 0)) }
	var argvp, envpp []uint32
	for _, s := range argv {
		p, err := pushStr(s)
		if err != nil {
			return 0, err
		}
		argvp = append(argvp, p)
	}
	for _, s := range envp {
		p, err := pushStr(s)
		if err != nil {
			return 0, err
		}
		envpp = append(envpp, p)
	}
	execfn := uint32(0)
	if len(argvp) > 0 {
		execfn = argvp[0]
	}
	sp &^= 15
	rnd, err := push(randomBytes(16))
	if err != nil {
		return 0, err
	}
	var words []uint32
	words = append(words, uint32(len(argvp)))
	words = append(words, argvp...)
	words = append(words, 0)
	words = append(words, envpp...)
	words = append(words, 0)
	aux := [][2]uint32{
		{linux.AT_PAGESZ, page}, {linux.AT_RANDOM, rnd}, {linux.AT_ENTRY, entry},
		{linux.AT_PHNUM, phnum}, {linux.AT_PHENT, 32}, {linux.AT_CLKTCK, 100},
		{linux.AT_UID, id.Ruid}, {linux.AT_EUID, id.Euid}, {linux.AT_GID, id.Rgid},
		{linux.AT_EGID, id.Egid}, {linux.AT_SECURE, 0}, {linux.AT_EXECFN, execfn},
	}
	if phdr != 0 {
		aux = append(aux, [2]uint32{linux.AT_PHDR, phdr})
	}
	if deps.VDSO[0] != 0 {
		aux = append(aux, [2]uint32{linux.AT_SYSINFO_EHDR, VDSOBase})
	}
	for _, a := range aux {
		words = append(words, a[0], a[1])
	}
	words = append(words, linux.AT_NULL, 0)
	sp = (sp - uint32(len(words))*4) &^ 15
	buf := make([]byte, len(words)*4)
	for i, w := range words {
		binary.LittleEndian.PutUint32(buf[i*4:], w)
	}
	return sp, as.CopyOut(sp, buf)
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}
