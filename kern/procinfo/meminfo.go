package procinfo

import (
	"fmt"
	"strings"
	"time"
)

// Mem holds the memory figures the kernel has, in KiB.
type Mem struct {
	Total     uint64 // usable physical memory the kernel manages
	Free      uint64 // of which free frames
	User      uint64 // frames resident in user processes
	GoHeap    uint64 // the kernel's Go heap: obtained from the frame allocator
	GoInUse   uint64 // of which in use
	Modules   uint64 // loaded modules' memory
	KernelLog uint64 // the kernel log's ring buffer
}

// Meminfo returns /proc/meminfo: Linux's first lines (what free(1) reads),
// then gojos's own figures.
func Meminfo(m Mem) []byte {
	var b strings.Builder
	line := func(name string, kib uint64) { fmt.Fprintf(&b, "%-16s%8d kB\n", name+":", kib) }
	line("MemTotal", m.Total)
	line("MemFree", m.Free)
	line("MemAvailable", m.Free)
	line("Buffers", 0)
	line("Cached", 0)
	line("SwapTotal", 0)
	line("SwapFree", 0)
	line("AnonPages", m.User)
	line("GoHeap", m.GoHeap)
	line("GoHeapInUse", m.GoInUse)
	line("Modules", m.Modules)
	line("KernelLog", m.KernelLog)
	return []byte(b.String())
}

// ParseMeminfo reads /proc/meminfo's "Name: N kB" lines into a map.
func ParseMeminfo(text string) map[string]uint64 {
	out := map[string]uint64{}
	for _, l := range strings.Split(text, "\n") {
		name, rest, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		var v uint64
		if _, err := fmt.Sscanf(strings.TrimSpace(rest), "%d", &v); err == nil {
			out[name] = v
		}
	}
	return out
}

// Uptime returns /proc/uptime: seconds since boot and seconds the CPU was
// idle, with two decimals.
func Uptime(up, idle time.Duration) []byte {
	cs := func(d time.Duration) string {
		c := d.Milliseconds() / 10
		return fmt.Sprintf("%d.%02d", c/100, c%100)
	}
	return []byte(cs(up) + " " + cs(idle) + "\n")
}
