package shim

import (
	"gojos/kern/arch/x86"
	"gojos/kern/bootinfo"
)

// fatal reports an unrecoverable kernel error: the message, the registers
// of the trap (if any) with symbols from the kernel's .symtab, a raw scan of
// the interrupted stack for return addresses, and ends QEMU with guest
// status 4 (host status 9).
func fatal(msg string, tf *x86.TrapFrame) {
	x86.Cli()
	puts("\ngojos: FATAL: ")
	puts(msg)
	puts("\n")
	if tf != nil {
		dumpFrame(tf)
	}
	qemuExit(4)
}

func reg(name string, v uint32) {
	puts(name)
	puts("=")
	putHex(v)
	puts(" ")
}

func dumpFrame(tf *x86.TrapFrame) {
	puts("  trap ")
	putDec(uint64(tf.Trapno))
	puts(" err ")
	putHex(tf.Err)
	puts(" cr2 ")
	putHex(x86.Rcr2())
	puts(" ring ")
	putDec(uint64(tf.Cs & 3))
	puts("\n  ")
	reg("eip", tf.Eip)
	putSym(tf.Eip)
	puts("\n  ")
	reg("eax", tf.Eax)
	reg("ebx", tf.Ebx)
	reg("ecx", tf.Ecx)
	reg("edx", tf.Edx)
	puts("\n  ")
	reg("esi", tf.Esi)
	reg("edi", tf.Edi)
	reg("ebp", tf.Ebp)
	reg("eflags", tf.Eflags)
	puts("\n  ")
	reg("cs", tf.Cs)
	reg("ds", tf.Ds)
	reg("gs", tf.Gs)
	sp := tf.EspPushal + 20 // ring 0: the stack before the CPU pushed
	if !tf.FromRing0() {
		sp = tf.Esp
		reg("ss", tf.Ss)
	}
	reg("esp", sp)
	puts("\n  stack scan (words that are text addresses):\n")
	n := 0
	for a := sp; a < sp+4096 && n < 16; a += 4 {
		if !validRange(a, 4, false) && !(tf.FromRing0() && a >= uint32(kernBase) && uintptr(a) < kEnd) {
			break
		}
		v := get32(uintptr(a))
		if uintptr(v) >= kernBase+bootinfo.KernelLoad && uintptr(v) < kEtext {
			puts("    ")
			putHex(v)
			puts(" ")
			putSym(v)
			puts("\n")
			n++
		}
	}
}

// putSym prints the kernel symbol containing addr as name+offset, looked up
// in the .symtab the boot loader handed over.
func putSym(addr uint32) {
	bi := bootInfo
	if bi == nil || bi.SymtabSize == 0 {
		return
	}
	const symSize = 16
	best, bestVal := uint32(0), uint32(0)
	found := false
	for off := uint32(0); off+symSize <= bi.SymtabSize; off += symSize {
		s := p2v(bi.SymtabPhys + off)
		name, value, info := get32(s), get32(s+4), *(*byte)(ptr(s + 12))
		if info&0xF != 2 && info&0xF != 0 { // STT_FUNC or STT_NOTYPE
			continue
		}
		if value <= addr && value >= bestVal && name != 0 {
			best, bestVal, found = name, value, true
		}
	}
	if !found || best >= bi.StrtabSize {
		return
	}
	puts("<")
	for p := p2v(bi.StrtabPhys + best); ; p++ {
		c := *(*byte)(ptr(p))
		if c == 0 {
			break
		}
		putc(c)
	}
	puts("+")
	putHex(addr - bestVal)
	puts(">")
}
