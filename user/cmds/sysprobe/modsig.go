package sysprobe

import (
	"fmt"
	"path/filepath"
	"sort"
	"syscall"
	"unsafe"

	"gojos/kern/abi/linux"
)

// Where probeModsig finds its modules (the initrd's; variables for tests).
var (
	BadsigDir = "/lib/modules/badsig"
	SignedKO  = "/lib/modules/test.ko"
)

// finit loads the module in file with finit_module.
func finit(file string) (uintptr, syscall.Errno) {
	fd, err := syscall.Open(file, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return 0, err.(syscall.Errno)
	}
	defer syscall.Close(fd)
	params := []byte{0}
	return sys(linux.SYS_finit_module, uintptr(fd), uintptr(unsafe.Pointer(&params[0])), 0)
}

// unload removes module name.
func unload(name string) syscall.Errno {
	b := append([]byte(name), 0)
	_, e := sys(linux.SYS_delete_module, uintptr(unsafe.Pointer(&b[0])), linux.O_NONBLOCK_MODULE)
	return e
}

// probeModsig (gojos only, as root, with module "test" not loaded): every
// module of BadsigDir is refused with EKEYREJECTED, and the signed
// SignedKO loads (and is removed again).
func probeModsig(p *prober) {
	files, _ := filepath.Glob(filepath.Join(BadsigDir, "*.ko"))
	sort.Strings(files)
	if len(files) == 0 {
		fmt.Fprintf(p.out, "no modules in %s\n", BadsigDir)
		p.wrong++
	}
	for _, f := range files {
		r, e := finit(f)
		p.check(fmt.Sprintf("finit_module(%s)", filepath.Base(f)), r, e, syscall.EKEYREJECTED, nil)
		if e == 0 {
			unload("test")
		}
	}
	r, e := finit(SignedKO)
	p.check(fmt.Sprintf("finit_module(%s)", SignedKO), r, e, 0, nil)
	if e == 0 {
		p.check("delete_module(test)", 0, unload("test"), 0, nil)
	}
}
