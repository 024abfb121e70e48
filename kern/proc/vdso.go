package proc

import (
	"fmt"

	"gojos/kern/abi/linux"
)

// The vDSO (kern/vdso) in user address spaces. Every process gets the two
// frames the trap tier filled (Deps.VDSO) at the same fixed place, just
// above the stack: the ELF page (read and execute) at VDSOBase and the data
// page (read-only) after it; AT_SYSINFO_EHDR gives VDSOBase. The frames are
// mapped with pteShared, as shared program text is, so nothing a process
// does frees them or changes them for the others:
//
//   - munmap (or MAP_FIXED over it) removes the process's mapping; its
//     later calls into it fault, as on Linux;
//   - mprotect to writable gives the process a private copy (text.go); a
//     private data page no longer follows the kernel's epochs but still
//     reads the TSC, so its clock stays right to the multiplier's rounding;
//   - madvise(MADV_DONTNEED) leaves shared pages mapped (their contents are
//     what a re-read would give);
//   - mprotect(PROT_NONE) drops the pages like any other (as.go): the range
//     then reads as zeros if made accessible again.
//
// [StackTop, UserHi) is otherwise unused: exec's segments and the stack lie
// below StackTop, and mmap without MAP_FIXED never picks pages that are
// mapped, so placement elsewhere is unchanged.
const (
	VDSOBase uint32 = StackTop
	VDSOSize        = 2 * page
)

// mapVDSO maps the vDSO into as; it does nothing when the kernel has none.
func (as *AddressSpace) mapVDSO() error {
	code, data := deps.VDSO[0], deps.VDSO[1]
	if code == 0 || data == 0 {
		return nil
	}
	for _, m := range []struct {
		va, frame, prot uint32
	}{
		{VDSOBase, code, linux.PROT_READ | linux.PROT_EXEC},
		{VDSOBase + page, data, linux.PROT_READ},
	} {
		if _, e := as.Map(m.va, page, m.prot, true); e != 0 {
			return fmt.Errorf("mapping the vDSO at %#x: errno %d", m.va, e)
		}
		if err := as.mapShared(m.va, []uint32{m.frame}); err != nil {
			return err
		}
	}
	return nil
}
