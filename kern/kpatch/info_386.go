package kpatch

import (
	"fmt"
	"strconv"
	"strings"

	"gojos/kern/functab"
	"gojos/kern/kpatch/plan"
	"gojos/kern/kpatch/rules"
)

// Disassemble prints a function's signature, what kpatch and kcall make of
// it, and its code.
func Disassemble(arg string) (string, error) {
	mu.Lock()
	defer mu.Unlock()
	f, err := resolve(arg)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%#x, %d bytes): %s\n", f.name, f.addr, f.size, signatureOrUnknown(f))
	if f.module == nil {
		b.WriteString(verdicts(f))
	}
	n := int(f.size)
	if n == 0 || n > 4096 {
		n = 256
	}
	lines := plan.Disassemble(code(f.addr, n), f.addr, 1<<20, func(a uint32) (string, uint32, bool) {
		s, _, ok := syms.Addr(a)
		return s.Name, s.Addr, ok
	})
	for _, l := range lines {
		b.WriteString(l.String())
		b.WriteByte('\n')
	}
	return b.String(), nil
}

func signatureOrUnknown(f *function) string {
	if s := signature(f); s != "" {
		return s
	}
	return "signature unknown"
}

// verdicts says whether kpatch may patch a kernel function and kcall call
// it. The caller holds mu.
func verdicts(f *function) string {
	t, err := table()
	if err != nil {
		return "  " + err.Error() + "\n"
	}
	tf, err := goFunc(f)
	if err != nil {
		return "  " + err.Error() + "\n"
	}
	var b strings.Builder
	if r := rules.Target(t, tf, entryCode(f.addr, f.size), false); r != nil {
		fmt.Fprintf(&b, "  kpatch: refused (%s): %s\n", r.Rule, r.Msg)
	} else {
		b.WriteString("  kpatch: patchable\n")
	}
	if r := rules.Callable(tf); r != nil {
		fmt.Fprintf(&b, "  kcall: refused (%s): %s\n", r.Rule, r.Msg)
	} else {
		b.WriteString("  kcall: callable\n")
	}
	return b.String()
}

// Ksyms answers "address of a symbol" (NAME, or NAME+0xOFF) or "symbol of
// an address" (0xADDR); a function's entry comes with its signature.
func Ksyms(arg string) (string, error) {
	mu.Lock()
	defer mu.Unlock()
	if strings.HasPrefix(arg, "0x") {
		v, err := strconv.ParseUint(arg[2:], 16, 32)
		if err != nil {
			return "", fmt.Errorf("%q is not a valid address", arg)
		}
		if _, _, ok := syms.Addr(uint32(v)); !ok {
			return "", fmt.Errorf("no symbol at %#x", v)
		}
		return fmt.Sprintf("%#x %s%s\n", v, syms.FormatAddr(uint32(v)), entrySignature(uint32(v))), nil
	}
	name, off := arg, uint64(0)
	if i := strings.LastIndex(arg, "+"); i > 0 {
		o, err := strconv.ParseUint(strings.TrimPrefix(arg[i+1:], "0x"), 16, 32)
		if err != nil {
			return "", fmt.Errorf("%q: bad offset (want NAME+0xOFF)", arg)
		}
		name, off = arg[:i], o
	}
	s, err := syms.Lookup(name)
	if err != nil {
		return "", err
	}
	if off != 0 {
		return fmt.Sprintf("%#08x %s+%#x\n", s.Addr+uint32(off), s.Name, off), nil
	}
	return fmt.Sprintf("%#08x %c %s%s\n", s.Addr, s.Letter, s.String(), entrySignature(s.Addr)), nil
}

// entrySignature is " " and the signature of the function starting at
// addr, or "". The caller holds mu.
func entrySignature(addr uint32) string {
	if _, off, ok := syms.Addr(addr); !ok || off != 0 {
		return ""
	}
	f, err := resolve(fmt.Sprintf("%#x", addr))
	if err != nil {
		return ""
	}
	if s := signature(f); s != "" {
		return " " + s
	}
	return ""
}

// Summary counts the kernel's functions by the rule that refuses them as
// patch targets, and those kcall can call (kpatch -s).
func Summary() (string, error) {
	mu.Lock()
	defer mu.Unlock()
	t, err := table()
	if err != nil {
		return "", err
	}
	c, err := rules.Count(t, func(f *functab.Func) []byte { return entryCode(f.Entry, f.Size) })
	if err != nil {
		return "", fmt.Errorf("%s: %v", TablePath, err)
	}
	return fmt.Sprintf("function table: %s, %d bytes, %d functions, image sha256 %x…, verified and loaded in %d ms\n%s",
		TablePath, tab.size, t.Len(), t.ImageHash[:8], tab.took.Milliseconds(), c), nil
}
