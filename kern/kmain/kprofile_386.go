package kmain

import (
	"bytes"
	"fmt"
	"runtime"
	"sort"
	"syscall"
	"unsafe"

	"gojos/kern/abi/linux"
	"gojos/kern/kinfo"
	"gojos/kern/proc"
	"gojos/kern/vdso"
)

// vdsoPC is the kernel's vDSO page (kern/shim/vdso_386.go): samples there
// are the runtime's clock reads.
var vdsoPC [2]uint32

// /proc/kprofile: the kernel's sampling profiler (kern/shim/profile_386.go),
// there only when the kernel command line has the word "kprofile". Each read
// returns the samples taken since the previous one — one per timer tick —
// counted by kernel function, most frequent first, and starts the next
// period: read it once before the work to measure and once after.
func registerKprofile() {
	if si, err := kinfo.Get(); err == nil {
		vdsoPC = [2]uint32{si.VDSOKernel, si.VDSOKernel + vdso.PageSize}
	}
	proc.RegisterProcFile("kprofile", func() []byte {
		buf := make([]uint32, linux.ProfileMaxSamples)
		r, _, e := syscall.RawSyscall(linux.SYS_gojos_profile, uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)), 0)
		if e != 0 {
			return []byte(fmt.Sprintf("kprofile: %v\n", e))
		}
		return formatProfile(buf[:r])
	})
}

func formatProfile(pcs []uint32) []byte {
	counts := map[string]int{}
	var user, idle int
	for _, pc := range pcs {
		switch pc {
		case linux.ProfileUser:
			user++
		case linux.ProfileIdle:
			idle++
		default:
			name := fmt.Sprintf("%#x (not Go code: a module?)", pc)
			if f := runtime.FuncForPC(uintptr(pc)); f != nil {
				name = f.Name()
			} else if pc >= vdsoPC[0] && pc < vdsoPC[1] {
				name = "[vdso] __vdso_clock_gettime"
			}
			counts[name]++
		}
	}
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if counts[names[i]] != counts[names[j]] {
			return counts[names[i]] > counts[names[j]]
		}
		return names[i] < names[j]
	})
	var b bytes.Buffer
	kernel := len(pcs) - user - idle
	fmt.Fprintf(&b, "# %d ticks since the last read: kernel %d, user %d, idle %d\n", len(pcs), kernel, user, idle)
	for _, n := range names {
		fmt.Fprintf(&b, "%6d %5.1f%% %s\n", counts[n], 100*float64(counts[n])/float64(max(kernel, 1)), n)
	}
	return b.Bytes()
}
