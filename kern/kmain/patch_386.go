package kmain

import (
	"bytes"
	"fmt"
	"io"
	"unsafe"

	"gojos/kern/bootinfo"
	"gojos/kern/kdemo"
	"gojos/kern/kinfo"
	"gojos/kern/kpatch"
	"gojos/kern/ksym"
	"gojos/kern/module"
	"gojos/kern/proc"
)

// phys returns n bytes of physical memory at pa through the direct map.
func phys(pa, n uint32) []byte {
	if pa == 0 || n == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(uintptr(pa)+bootinfo.DirectMap)), n)
}

// demoFuncs keeps kern/kdemo's functions in the kernel (for kcall and
// kpatch; nothing else calls most of them).
var demoFuncs []any

// startPatching builds the kernel symbol table from the .symtab the boot
// loader handed over and returns what wires live patching and modules to
// user space.
func startPatching(out io.Writer) (proc.Patching, error) {
	setSigEnforce(out)
	bi := kinfo.Bootinfo()
	if bi.Flags&bootinfo.FlagSyms == 0 {
		return proc.Patching{}, fmt.Errorf("the boot loader passed no kernel symbols")
	}
	secs, err := ksym.ParseSections(phys(bi.ShdrPhys, bi.ShdrNum*bi.ShdrEntSize), int(bi.ShdrEntSize),
		phys(bi.ShStrtabPhys, bi.ShStrtabSize))
	if err != nil {
		return proc.Patching{}, fmt.Errorf("kernel section headers: %v", err)
	}
	t, err := ksym.Parse(phys(bi.SymtabPhys, bi.SymtabSize), phys(bi.StrtabPhys, bi.StrtabSize), secs)
	if err != nil {
		return proc.Patching{}, fmt.Errorf("kernel symbols: %v", err)
	}
	kpatch.Init(t)
	kpatch.Sections = secs
	kpatch.ReadTable = func() ([]byte, error) { return proc.FileBytes(kpatch.TablePath) }
	demoFuncs = kdemo.Funcs()
	module.Syms = t
	proc.RegisterProcFile("kallsyms", func() []byte {
		var b bytes.Buffer
		t.WriteKallsyms(&b)
		return b.Bytes()
	})
	proc.RegisterProcFile("modules", module.ProcModules)
	proc.RegisterProcFile("sys/kernel/tainted", module.TaintText)
	proc.RegisterProcFile("livepatch", kpatch.ProcLivepatch)
	return proc.Patching{Ctl: loggedCtl, LoadModule: loggedLoad, UnloadModule: loggedUnload}, nil
}
