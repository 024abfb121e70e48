package bootinfo_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gojos/kern/abi/linux"
	"gojos/kern/arch/x86"
	"gojos/kern/bootinfo"
)

// The boot loader's C headers and the kernel's Go definitions describe one
// hand-over. This test reads boot/bootinfo.h and boot/layout.h and compares
// mechanically: every #define either has its Go constant (same value) or is
// listed as the loader's own, and every field of struct bootinfo and struct
// mem_region has the offset and size of the Go field in the same position.

const headerDir = "../../boot/"

// goValue is the Go constant each shared #define must equal.
var goValue = map[string]uint64{
	// bootinfo.h
	"BOOTINFO_MAGIC":         bootinfo.Magic,
	"BOOTINFO_VERSION":       bootinfo.Version,
	"BOOTINFO_CMDLINE":       bootinfo.CmdlineSize,
	"BOOTINFO_MMAP_MAX":      bootinfo.MemMapMax,
	"BI_FLAG_MMAP_TRUNCATED": bootinfo.FlagMemMapTruncated,
	"BI_FLAG_SYMS":           bootinfo.FlagSyms,
	"MEM_USABLE":             bootinfo.MemUsable,
	"MEM_RESERVED":           bootinfo.MemReserved,
	"MEM_ACPI":               bootinfo.MemACPI,
	"MEM_NVS":                bootinfo.MemNVS,
	"MEM_BAD":                bootinfo.MemBad,
	// layout.h
	"PAGE_DIR":         bootinfo.PageDir,
	"BOOTINFO_ADDR":    bootinfo.Addr,
	"LOADER_STACK_TOP": bootinfo.StackTop,
	"KERNBASE":         bootinfo.KernBase,
	"DIRECTMAP":        bootinfo.DirectMap,
	"KERNEL_MIN_PHYS":  bootinfo.KernelLoad,
	"MAP_LIMIT":        bootinfo.MapLimit,
	"DIRECTMAP_LIMIT":  bootinfo.DirectSize,
	"KERNBASE_LIMIT":   bootinfo.DirectMap - bootinfo.KernBase,
	"PAGE_SIZE":        linux.PageSize,
	"SEG_KCODE":        x86.SelKCode,
	"SEG_KDATA":        x86.SelKData,
	"BOOT_EAX_MAGIC":   bootinfo.Magic,
	"COM1":             bootinfo.COM1,
}

// loaderOnly are the defines that only the loader uses (disk positions,
// its own buffers): nothing in Go has to agree with them.
var loaderOnly = map[string]bool{
	"SECTOR_SIZE": true, "STAGE2_LBA": true, "STAGE2_SECTORS": true, "IMGHDR_LBA": true,
	"IMG_DATA_LBA": true, "E820_BUF": true, "E820_MAX": true, "STAGE1_ADDR": true,
	"STAGE2_ADDR": true, "STAGE2_END": true,
}

var defineRE = regexp.MustCompile(`(?m)^#define\s+([A-Z0-9_]+)\s+([^/\n]+?)\s*(?:/\*.*)?$`)

func readHeader(t *testing.T, name string) string {
	b, err := os.ReadFile(headerDir + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// defines returns the value of every #define with a numeric value, macros
// expanded, in 32-bit unsigned arithmetic as the C compiler computes them.
func defines(t *testing.T, src string, into map[string]uint64) {
	raw := map[string]string{}
	var order []string
	for _, m := range defineRE.FindAllStringSubmatch(src, -1) {
		if strings.HasPrefix(m[1], "GOJOS_") {
			continue // include guard
		}
		raw[m[1]] = m[2]
		order = append(order, m[1])
	}
	num := regexp.MustCompile(`\b(0[xX][0-9a-fA-F]+|[0-9]+)[uU]?\b`)
	for _, name := range order {
		expr := num.ReplaceAllString(raw[name], "$1")
		for k, v := range into {
			expr = regexp.MustCompile(`\b`+k+`\b`).ReplaceAllString(expr, fmt.Sprint(v))
		}
		e, err := parser.ParseExpr(expr)
		if err != nil {
			t.Fatalf("#define %s %s: %v", name, raw[name], err)
		}
		v, err := eval(e)
		if err != nil {
			t.Fatalf("#define %s %s: %v", name, raw[name], err)
		}
		into[name] = v
	}
}

func eval(e ast.Expr) (uint64, error) {
	switch e := e.(type) {
	case *ast.BasicLit:
		v, err := strconv.ParseUint(e.Value, 0, 32)
		return v, err
	case *ast.ParenExpr:
		return eval(e.X)
	case *ast.BinaryExpr:
		x, err := eval(e.X)
		if err != nil {
			return 0, err
		}
		y, err := eval(e.Y)
		if err != nil {
			return 0, err
		}
		var r uint32
		switch e.Op {
		case token.ADD:
			r = uint32(x) + uint32(y)
		case token.SUB:
			r = uint32(x) - uint32(y)
		case token.MUL:
			r = uint32(x) * uint32(y)
		case token.SHL:
			r = uint32(x) << y
		case token.OR:
			r = uint32(x) | uint32(y)
		default:
			return 0, fmt.Errorf("operator %v", e.Op)
		}
		return uint64(r), nil
	}
	return 0, fmt.Errorf("expression %T", e)
}

func TestHeaderConstants(t *testing.T) {
	vals := map[string]uint64{}
	defines(t, readHeader(t, "layout.h"), vals)
	defines(t, readHeader(t, "bootinfo.h"), vals)
	for name, v := range vals {
		want, shared := goValue[name]
		switch {
		case shared && v != want:
			t.Errorf("C %s = %#x, Go has %#x", name, v, want)
		case !shared && !loaderOnly[name]:
			t.Errorf("C %s = %#x is in neither goValue nor loaderOnly: give it its Go constant", name, v)
		}
	}
	for name := range goValue {
		if _, ok := vals[name]; !ok {
			t.Errorf("%s: no such #define in boot/", name)
		}
	}
}

// cType gives a C field type's size and i386 alignment.
func cType(typ string, structs map[string][2]uintptr) (size, align uintptr, ok bool) {
	switch typ {
	case "uint8_t", "char":
		return 1, 1, true
	case "uint16_t":
		return 2, 2, true
	case "uint32_t":
		return 4, 4, true
	case "uint64_t":
		return 8, 4, true // i386 System V aligns 8-byte integers in structs to 4
	}
	if s, found := structs[typ]; found {
		return s[0], s[1], true
	}
	return 0, 0, false
}

type cField struct {
	name        string
	off, size   uintptr
	elem, count uintptr
}

var fieldRE = regexp.MustCompile(`^\s*((?:struct\s+)?\w+)\s+(\w+)(?:\[(\w+)\])?;`)

// layout computes the fields of C struct name in src.
func layout(t *testing.T, src, name string, consts map[string]uint64, structs map[string][2]uintptr) []cField {
	start := strings.Index(src, "struct "+name+" {")
	if start < 0 {
		t.Fatalf("struct %s not found", name)
	}
	body := src[start:]
	body = body[strings.Index(body, "{")+1 : strings.Index(body, "};")]
	var fields []cField
	var off, maxAlign uintptr = 0, 1
	for _, line := range strings.Split(body, "\n") {
		m := fieldRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		size, align, ok := cType(m[1], structs)
		if !ok {
			t.Fatalf("struct %s: type %q", name, m[1])
		}
		count := uintptr(1)
		if m[3] != "" {
			n, err := strconv.ParseUint(m[3], 0, 32)
			if err != nil {
				v, found := consts[m[3]]
				if !found {
					t.Fatalf("array size %s", m[3])
				}
				n = v
			}
			count = uintptr(n)
		}
		if off%align != 0 {
			t.Errorf("struct %s: implicit padding before %s", name, m[2])
			off += align - off%align
		}
		fields = append(fields, cField{m[2], off, size * count, size, count})
		off += size * count
		maxAlign = max(maxAlign, align)
	}
	if off%maxAlign != 0 {
		off += maxAlign - off%maxAlign
	}
	structs[strings.TrimPrefix("struct "+name, "")] = [2]uintptr{off, maxAlign}
	return fields
}

func TestHeaderStructs(t *testing.T) {
	src := readHeader(t, "bootinfo.h")
	consts := map[string]uint64{}
	defines(t, src, consts)
	structs := map[string][2]uintptr{}
	for _, c := range []struct {
		name string
		goT  reflect.Type
	}{
		{"mem_region", reflect.TypeOf(bootinfo.MemRegion{})},
		{"bootinfo", reflect.TypeOf(bootinfo.Info{})},
	} {
		fields := layout(t, src, c.name, consts, structs)
		if len(fields) != c.goT.NumField() {
			t.Errorf("struct %s has %d fields, Go's %v %d", c.name, len(fields), c.goT, c.goT.NumField())
			continue
		}
		for i, f := range fields {
			g := c.goT.Field(i)
			if g.Offset != f.off || g.Type.Size() != f.size {
				t.Errorf("%s.%s at %d (%d bytes), Go %s at %d (%d bytes)", c.name, f.name, f.off, f.size, g.Name, g.Offset, g.Type.Size())
			}
		}
		if size := structs["struct "+c.name][0]; size != c.goT.Size() {
			t.Errorf("sizeof(struct %s) = %d, Go %d", c.name, size, c.goT.Size())
		}
	}
	if s := structs["struct bootinfo"][0]; s != bootinfo.Size {
		t.Errorf("sizeof(struct bootinfo) = %d, bootinfo.Size %d", s, bootinfo.Size)
	}
}
