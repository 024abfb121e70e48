package shim

import (
	"unsafe"

	"gojos/kern/arch/x86"
	"gojos/kern/vdso"
)

// The vDSO (kern/vdso): two pages in the kernel image's BSS, the code page
// and the data page after it. The kernel's Go runtime finds the code page
// through AT_SYSINFO_EHDR and reads both through their kernel addresses
// (supervisor pages, readable and executable from ring 1, write-protected
// here); kern/proc maps the same two frames into every process
// (Sysinfo.VDSOCode/VDSOData). The shim writes the data page through the
// direct map: at boot, and at every vdsoEpochTicks timer tick a new epoch,
// so that the multiplier's rounding never adds up to a nanosecond.
const vdsoEpochTicks = TickHz // once a second

var (
	vdsoArea  [vdso.Size + pageSize]byte // the two pages, page-aligned inside
	vdsoVA    uintptr                    // the code page's kernel address
	vdsoPhys  [2]uint32                  // its frames: code, data
	vdsoData  *vdso.Data                 // the data page, through the direct map
	vdsoTicks uint64                     // ticks since the last epoch
	vdsoOff   bool                       // kernel command line "novdso"
)

// vdsoBuild builds the image, after vmInit; vdsoPublish then publishes the
// first epoch, once the TSC's rate and the RTC's time are known.
func vdsoBuild() {
	x86.Lcr4(x86.Rcr4() &^ cr4TSD) // RDTSC outside ring 0 (it is clear at reset)
	vdsoVA = (uintptr(unsafe.Pointer(&vdsoArea[0])) + pageSize - 1) &^ (pageSize - 1)
	for i := range vdsoPhys {
		va := uint32(vdsoVA) + uint32(i)*pageSize
		demandFault(va, true) // back a lazy-BSS page now (no-op otherwise)
		p := pte(va, false)
		if p == 0 || *word(p)&pteP == 0 {
			fatal("vDSO page not mapped", nil)
		}
		vdsoPhys[i] = *word(p) &^ 0xFFF
		// Written through the direct map only; ring 1 reads it.
		*word(p) &^= pteW
		x86.Invlpg(va)
	}
	vdso.Build((*[vdso.PageSize]byte)(ptr(p2v(vdsoPhys[0]))))
	vdsoData = (*vdso.Data)(ptr(p2v(vdsoPhys[1])))
}

// vdsoPublish starts a new epoch at the current TSC, from the same clock as
// nanotime.
func vdsoPublish() {
	tsc := x86.Tsc()
	d := tsc - clock.tsc0
	hz := clock.tscHz
	mono := d/hz*1000000000 + d%hz*1000000000/hz
	vdsoData.Publish(hz, tsc, mono, clock.bootUnix*1000000000)
	vdsoTicks = 0
}

// vdsoTick runs at every timer tick.
func vdsoTick() {
	if vdsoTicks++; vdsoTicks >= vdsoEpochTicks && vdsoData != nil {
		vdsoPublish()
	}
}
