package linux

// gojos's own system calls, above every Linux number. Only the kernel's Go
// code (ring 1) may make them; from a user process they are -ENOSYS.
const (
	// SYS_gojos_sysinfo(buf *Sysinfo) fills a Sysinfo.
	SYS_gojos_sysinfo = 0x1000
)

// Sysinfo is what SYS_gojos_sysinfo reports: 4-byte fields, no padding.
type Sysinfo struct {
	MemTotalKiB uint32 // usable physical memory the kernel manages
	MemFreeKiB  uint32 // of which free now
	TSCHz       uint64 // calibrated TSC rate
	TSCBoot     uint64 // TSC when the kernel was entered
	Ticks       uint64 // timer ticks since boot (TickHz per second)
	TickHz      uint32
	Threads     uint32 // live kernel threads
}
