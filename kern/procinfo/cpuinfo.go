package procinfo

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// CPUID returns the registers CPUID gives for a leaf and subleaf.
type CPUID func(leaf, sub uint32) (eax, ebx, ecx, edx uint32)

// CPU is what CPUID tells about the processor.
type CPU struct {
	Vendor                  string
	Level                   uint32 // highest standard leaf
	Family, Model, Stepping uint32
	Name                    string // the brand string, if the CPU has one
	Flags                   []string
}

// Flag names of leaf 1's EDX and ECX bits, as Linux's /proc/cpuinfo names
// them ("" for reserved bits).
var (
	edxFlags = [32]string{"fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce",
		"cx8", "apic", "", "sep", "mtrr", "pge", "mca", "cmov",
		"pat", "pse36", "pn", "clflush", "", "dts", "acpi", "mmx",
		"fxsr", "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe"}
	ecxFlags = [32]string{"pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est",
		"tm2", "ssse3", "cid", "sdbg", "fma", "cx16", "xtpr", "pdcm",
		"", "pcid", "dca", "sse4_1", "sse4_2", "x2apic", "movbe", "popcnt",
		"tsc_deadline_timer", "aes", "xsave", "osxsave", "avx", "f16c", "rdrand", "hypervisor"}
)

// DecodeCPU asks cpuid about the processor.
func DecodeCPU(cpuid CPUID) CPU {
	var c CPU
	level, ebx, ecx, edx := cpuid(0, 0)
	c.Level = level
	v := make([]byte, 12)
	binary.LittleEndian.PutUint32(v[0:], ebx)
	binary.LittleEndian.PutUint32(v[4:], edx)
	binary.LittleEndian.PutUint32(v[8:], ecx)
	c.Vendor = string(v)
	if level >= 1 {
		eax, _, ecx, edx := cpuid(1, 0)
		c.Stepping = eax & 0xF
		c.Model = eax >> 4 & 0xF
		c.Family = eax >> 8 & 0xF
		if c.Family == 0xF {
			c.Family += eax >> 20 & 0xFF
		}
		if c.Family == 6 || c.Family >= 0xF {
			c.Model |= (eax >> 16 & 0xF) << 4
		}
		for i := 0; i < 32; i++ {
			if edx&(1<<i) != 0 && edxFlags[i] != "" {
				c.Flags = append(c.Flags, edxFlags[i])
			}
		}
		for i := 0; i < 32; i++ {
			if ecx&(1<<i) != 0 && ecxFlags[i] != "" {
				c.Flags = append(c.Flags, ecxFlags[i])
			}
		}
	}
	if ext, _, _, _ := cpuid(0x80000000, 0); ext >= 0x80000004 {
		var name []byte
		for leaf := uint32(0x80000002); leaf <= 0x80000004; leaf++ {
			a, b, c, d := cpuid(leaf, 0)
			for _, r := range []uint32{a, b, c, d} {
				name = binary.LittleEndian.AppendUint32(name, r)
			}
		}
		if i := strings.IndexByte(string(name), 0); i >= 0 {
			name = name[:i]
		}
		c.Name = strings.TrimSpace(string(name))
	}
	return c
}

// Cpuinfo returns /proc/cpuinfo for the one CPU running at mhz.
func Cpuinfo(c CPU, mhz float64) []byte {
	name := c.Name
	if name == "" {
		name = "unknown"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "processor\t: 0\n")
	fmt.Fprintf(&b, "vendor_id\t: %s\n", c.Vendor)
	fmt.Fprintf(&b, "cpu family\t: %d\n", c.Family)
	fmt.Fprintf(&b, "model\t\t: %d\n", c.Model)
	fmt.Fprintf(&b, "model name\t: %s\n", name)
	fmt.Fprintf(&b, "stepping\t: %d\n", c.Stepping)
	fmt.Fprintf(&b, "cpu MHz\t\t: %.3f\n", mhz)
	fmt.Fprintf(&b, "cpuid level\t: %d\n", c.Level)
	fmt.Fprintf(&b, "flags\t\t: %s\n", strings.Join(c.Flags, " "))
	b.WriteString("\n")
	return []byte(b.String())
}
