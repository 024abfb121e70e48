package linux

import "gojos/kern/bootinfo"

// gojos's own system calls, above every Linux number. Only the kernel's Go
// code (ring 1) may make them; from a user process they are -ENOSYS.
const (
	// SYS_gojos_sysinfo(buf *Sysinfo) fills a Sysinfo.
	SYS_gojos_sysinfo = 0x1000
	// SYS_gojos_runuser(uc *UserContext) runs user code (ring 3) in the
	// address space uc.CR3 until it traps, saves its state in uc and returns
	// the trap number.
	SYS_gojos_runuser = 0x1001
	// SYS_gojos_palloc() returns the physical address of a zeroed 4 KiB
	// frame (or -ENOMEM); SYS_gojos_pfree(pa) frees one.
	SYS_gojos_palloc = 0x1002
	SYS_gojos_pfree  = 0x1003
	// SYS_gojos_textpoke(dst, src, n) writes n bytes at dst, which must lie in
	// kernel or module text, with interrupts off (kernel Go code only).
	SYS_gojos_textpoke = 0x1004
	// SYS_gojos_ctl(req *byte, reqlen, resp *byte, resplen) is the live-patching
	// control call used by the user tools (see Ctl* below). It returns the
	// length of the response text written to resp, or -errno with the reason
	// written to resp as text (NUL-terminated, truncated to resplen).
	SYS_gojos_ctl = 0x1005
	// SYS_gojos_conwrite(buf, n) writes to the console without logging:
	// user processes' console output. (The kernel's own standard output and
	// error go to the kernel log and are echoed by level.)
	SYS_gojos_conwrite = 0x1006
	// SYS_gojos_profile(buf *uint32, n) copies the kernel profiler's samples
	// taken since the last call (at most n) to buf, returns how many, and
	// leaves the profiler on — off when n is 0. A sample is the pc of the
	// kernel code a timer tick interrupted, or ProfileUser or ProfileIdle.
	SYS_gojos_profile = 0x1007
	// SYS_gojos_pfreev(pas *uint32, n) frees the n frames listed at pas
	// (at most PfreevMax), as n SYS_gojos_pfree calls would, in one call:
	// an exit or munmap frees its frames in batches. It returns 0, or
	// -EINVAL if any of them could not be freed (the others are).
	SYS_gojos_pfreev = 0x1008
)

// PfreevMax is the most frames one SYS_gojos_pfreev frees.
const PfreevMax = 256

// The profiler's samples that are not kernel pcs, and its buffer's size.
const (
	ProfileUser       = 1 // the tick interrupted user code (ring 3)
	ProfileIdle       = 2 // the CPU was idle
	ProfileMaxSamples = 1 << 15
)

// Requests of SYS_gojos_ctl: one line of words, the command first.
//
//	kcall SYM|ADDR           call a kernel or module function taking no
//	                         arguments, print its result
//	kpatch TARGET REPL       redirect function TARGET to function REPL
//	kpatch -u TARGET [REPL]  remove the newest (or the named) patch of TARGET
//	kpatch -l                list every patched function with its patch stack
//	kpatch -d FN             disassemble a function
//	ksyms NAME|ADDR          address of a symbol / symbol+offset of an address
//	lasterror                the reason of this process's last failed
//	                         init_module or delete_module
//	testbug                  panic in the kernel's handler of this call (a
//	                         kernel bug on purpose): kills only the caller
//
// SYM and FN are symbol names: full Go names (gojos/kern/kpatch.kpatch_test1),
// short names when unique (kpatch_test1), or module symbols (test2,
// test:test2). ADDR is hexadecimal with 0x.
//
// Privilege (kern/proc/priv.go): only lasterror, kpatch -l, kpatch -d FN and
// ksyms SYM are open to every user, with kernel addresses in the answer
// zeroed unless the caller is root; every other request needs euid 0 and
// fails with EPERM and the reason.
const (
	CtlMaxRequest  = 1024
	CtlMaxResponse = 64 << 10
	CtlTestBug     = "testbug"
)

// Linux module system calls (insmod/rmmod use them as on Linux).
const (
	SYS_init_module   = 128
	SYS_delete_module = 129
	SYS_finit_module  = 350
	O_TRUNC_MODULE    = 0x200 // delete_module flag O_TRUNC: force (refused)
	O_NONBLOCK_MODULE = 0x800 // delete_module flag O_NONBLOCK
)

// KernelWindow splits the lower three gigabytes: user space is below it,
// the kernel's mmap window (its Go heap, goroutine stacks, module memory)
// from it up to bootinfo.KernBase. Every page directory shares the
// kernel's entries from KernelWindow up, so a system call or fault from
// user space is handled without loading another page directory.
const KernelWindow = 0x80000000

// DirectMap is where all physical memory is mapped in the kernel half of
// every address space: virtual = physical + DirectMap. Ring-1 kernel code
// reaches page tables and user frames through it.
const DirectMap = bootinfo.DirectMap

// UserContext is the state of a user thread while the kernel's Go code
// handles its trap; SYS_gojos_runuser resumes it. Regs holds the registers
// in the order of a trap frame (gs fs es ds edi esi ebp _ ebx edx ecx eax
// trapno err eip cs eflags esp ss); the kernel forces ring-3 segments and
// safe flags on entry. Fx is the FXSAVE image of the FPU/SSE state.
//
// Fx followed by Regs is the shape of a trap on the trap tier's stack (an
// FXSAVE area, then the frame), so the trap tier enters and leaves user mode
// in place: it IRETs from Regs and restores Fx, and a trap from user mode
// pushes its frame into Regs and saves the FPU state into Fx. For that Fx
// must lie on a 16-byte boundary; SYS_gojos_runuser refuses a context where
// it does not.
type UserContext struct {
	Fx     [512]byte // first: directly below Regs, as below a trap frame
	Regs   [19]uint32
	CR3    uint32 // physical address of the page directory
	TLS    uint64 // GDT descriptor for the thread's set_thread_area
	Trapno uint32 // filled on return: vector
	Err    uint32 // error code
	CR2    uint32 // fault address of a page fault
	// Flush is the address of the address space's TLB word (0: none). The
	// kernel sets the word after it changes or removes a mapping of a
	// page that may be cached; entry takes it (exchanges it with 0) and
	// reloads CR3 if it was set, or if CR3 holds another page directory.
	// Without a word every entry reloads CR3.
	Flush uint32
}

// Indexes into UserContext.Regs.
const (
	RegGS, RegFS, RegES, RegDS       = 0, 1, 2, 3
	RegEDI, RegESI, RegEBP           = 4, 5, 6
	RegEBX, RegEDX, RegECX, RegEAX   = 8, 9, 10, 11
	RegTrapno, RegErr, RegEIP, RegCS = 12, 13, 14, 15
	RegEFLAGS, RegESP, RegSS         = 16, 17, 18
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
	KernelPD    uint32 // physical address of the kernel page directory
	IdleTicks   uint64 // of Ticks, those that found the CPU idle (halted)
	VDSOCode    uint32 // physical frame of the vDSO's ELF page (kern/vdso)
	VDSOData    uint32 // physical frame of its data page
	VDSOKernel  uint32 // the ELF page's address in the kernel (AT_SYSINFO_EHDR of the kernel's runtime)
}
