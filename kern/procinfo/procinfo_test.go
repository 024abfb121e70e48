package procinfo

import (
	"encoding/binary"
	"strings"
	"testing"
	"time"
)

func TestUname(t *testing.T) {
	u := Uname("go1.26.8")
	b := u.Bytes()
	if len(b) != 390 || b[64] != 0 {
		t.Fatalf("utsname %d bytes", len(b))
	}
	back, err := ParseUtsname(b)
	if err != nil || back != u {
		t.Fatalf("round trip: %+v %v", back, err)
	}
	if _, err := ParseUtsname(b[:100]); err == nil {
		t.Error("short utsname accepted")
	}
	long := Utsname{Sysname: strings.Repeat("s", 100)}
	if back, _ := ParseUtsname(long.Bytes()); len(back.Sysname) != 64 {
		t.Errorf("a long field is cut to 64 bytes and NUL-terminated: %d", len(back.Sysname))
	}
	if got := string(Version(u, "go1.26.8")); got != "gojos version 0.1 (i686, go1.26.8) #1 go1.26.8\n" {
		t.Errorf("version %q", got)
	}
}

func TestMeminfo(t *testing.T) {
	text := string(Meminfo(Mem{Total: 24576, Free: 10000, User: 512, GoHeap: 4096, GoInUse: 2048, KernelLog: 64}))
	if !strings.HasPrefix(text, "MemTotal:          24576 kB\nMemFree:           10000 kB\nMemAvailable:      10000 kB\n") {
		t.Errorf("meminfo:\n%s", text)
	}
	m := ParseMeminfo(text + "garbage\nBad: x kB\n")
	if m["MemTotal"] != 24576 || m["AnonPages"] != 512 || m["KernelLog"] != 64 || len(m) != 12 {
		t.Errorf("parsed %v", m)
	}
}

func TestUptime(t *testing.T) {
	if got := string(Uptime(12345*time.Millisecond, 999*time.Millisecond)); got != "12.34 0.99\n" {
		t.Errorf("uptime %q", got)
	}
}

// fakeCPUID answers like QEMU's default "qemu32" CPU with a brand string.
func fakeCPUID(leaf, sub uint32) (a, b, c, d uint32) {
	str := func(s string, i int) uint32 { return binary.LittleEndian.Uint32([]byte(s)[4*i:]) }
	brand := "QEMU Virtual CPU version 2.5+" + strings.Repeat("\x00", 48)
	switch leaf {
	case 0:
		v := "GenuineIntel"
		return 4, str(v, 0), str(v, 2), str(v, 1)
	case 1:
		return 0x663, 0, 1<<0 | 1<<23, 1<<0 | 1<<4 | 1<<10 | 1<<25
	case 0x80000000:
		return 0x80000004, 0, 0, 0
	case 0x80000002, 0x80000003, 0x80000004:
		i := int(leaf-0x80000002) * 4
		return str(brand, i), str(brand, i+1), str(brand, i+2), str(brand, i+3)
	}
	return 0, 0, 0, 0
}

func TestCpuinfo(t *testing.T) {
	c := DecodeCPU(fakeCPUID)
	if c.Vendor != "GenuineIntel" || c.Family != 6 || c.Model != 6 || c.Stepping != 3 || c.Level != 4 {
		t.Errorf("cpu %+v", c)
	}
	if c.Name != "QEMU Virtual CPU version 2.5+" {
		t.Errorf("name %q", c.Name)
	}
	if got := strings.Join(c.Flags, " "); got != "fpu tsc sse pni popcnt" {
		t.Errorf("flags %q (bit 10 of EDX is reserved)", got)
	}
	text := string(Cpuinfo(c, 2394.4556))
	for _, want := range []string{"vendor_id\t: GenuineIntel\n", "model name\t: QEMU Virtual CPU version 2.5+\n", "cpu MHz\t\t: 2394.456\n", "flags\t\t: fpu tsc"} {
		if !strings.Contains(text, want) {
			t.Errorf("cpuinfo lacks %q:\n%s", want, text)
		}
	}
	ext := DecodeCPU(func(leaf, sub uint32) (a, b, c, d uint32) {
		if leaf == 1 {
			return 0xF<<8 | 0x2<<20 | 0x1<<16 | 0x5<<4, 0, 0, 0
		}
		if leaf == 0 {
			return 1, 0, 0, 0
		}
		return 0, 0, 0, 0
	})
	if ext.Family != 0x11 || ext.Model != 0x15 || ext.Name != "" {
		t.Errorf("extended family/model: %+v", ext)
	}
}
