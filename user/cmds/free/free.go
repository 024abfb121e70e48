// Package free is the free command: memory in use and free, from
// /proc/meminfo, as procps's free prints it:
//
//	               total        used        free      shared  buff/cache   available
//	Mem:           24576       14576       10000           0           0       10000
//	Swap:              0           0           0
//
// in KiB, or MiB with -m. gojos has no swap and no page cache: "used" is
// total - free.
package free

import (
	"fmt"
	"io"
	"os"

	"gojos/kern/procinfo"
	"gojos/user/internal/cmdutil"
)

// MeminfoFile is the file free reads; a variable for tests.
var MeminfoFile = "/proc/meminfo"

// Format returns free's table for a /proc/meminfo's figures, divided by
// unit (1: KiB, 1024: MiB).
func Format(m map[string]uint64, unit uint64) string {
	d := func(v uint64) uint64 { return v / unit }
	total, free := m["MemTotal"], m["MemFree"]
	avail, ok := m["MemAvailable"]
	if !ok {
		avail = free
	}
	cache := m["Buffers"] + m["Cached"]
	used := total - min(total, free+cache)
	swapTotal, swapFree := m["SwapTotal"], m["SwapFree"]
	return fmt.Sprintf("%15s %11s %11s %11s %11s %11s\n", "total", "used", "free", "shared", "buff/cache", "available") +
		fmt.Sprintf("%-7s %7d %11d %11d %11d %11d %11d\n", "Mem:", d(total), d(used), d(free), d(m["Shmem"]), d(cache), d(avail)) +
		fmt.Sprintf("%-7s %7d %11d %11d\n", "Swap:", d(swapTotal), d(swapTotal-min(swapTotal, swapFree)), d(swapFree))
}

// Run is the free command.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := cmdutil.FlagSet("free", "[-k | -m]", stderr)
	mib := flags.Bool("m", false, "show MiB")
	flags.Bool("k", true, "show KiB (the default)")
	if err := cmdutil.Parse(flags, args); err != nil {
		return err
	}
	if flags.NArg() != 0 {
		flags.Usage()
		return cmdutil.Usage
	}
	data, err := os.ReadFile(MeminfoFile)
	if err != nil {
		return err
	}
	m := procinfo.ParseMeminfo(string(data))
	if _, ok := m["MemTotal"]; !ok {
		return fmt.Errorf("%s: no MemTotal line", MeminfoFile)
	}
	unit := uint64(1)
	if *mib {
		unit = 1024
	}
	_, err = io.WriteString(stdout, Format(m, unit))
	return err
}
