// Package kinfo gives the kernel's Go code facts that only the trap tier
// knows (memory, TSC rate, ticks), through gojos's own system call.
package kinfo

import (
	"syscall"
	"time"
	"unsafe"

	"gojos/kern/abi/linux"
	"gojos/kern/bootinfo"
)

// Get returns the trap tier's Sysinfo.
func Get() (linux.Sysinfo, error) {
	var si linux.Sysinfo
	_, _, errno := syscall.RawSyscall(linux.SYS_gojos_sysinfo, uintptr(unsafe.Pointer(&si)), 0, 0)
	if errno != 0 {
		return si, errno
	}
	return si, nil
}

// SincePowerOn converts a TSC reading to the time since the CPU was reset
// (the TSC starts at zero then).
func SincePowerOn(tsc uint64, si linux.Sysinfo) time.Duration {
	if si.TSCHz == 0 {
		return 0
	}
	return time.Duration(tsc/si.TSCHz)*time.Second +
		time.Duration(tsc%si.TSCHz*uint64(time.Second)/si.TSCHz)
}

// Bootinfo returns the boot loader's hand-over struct, read through the
// kernel's direct map of physical memory.
func Bootinfo() *bootinfo.Info {
	return (*bootinfo.Info)(unsafe.Pointer(uintptr(bootinfo.Addr + bootinfo.DirectMap)))
}

// Initrd returns the initrd archive the boot loader placed in memory (no
// copy: the slice aliases physical memory through the direct map).
func Initrd() []byte {
	bi := Bootinfo()
	if bi.InitrdPhys == 0 || bi.InitrdSize == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(uintptr(bi.InitrdPhys)+bootinfo.DirectMap)), bi.InitrdSize)
}

// shortConsoleWrite is the longest console write made as a raw system call.
const shortConsoleWrite = 128

// ConsoleWrite writes p to the console without logging it (the trap
// tier's SYS_gojos_conwrite): the path of user processes' console output,
// which must not land in the kernel log. A short write (a line editor's
// echo is one byte) is a raw system call: the UART takes a byte at once,
// so it cannot hold the goroutine up long enough for the scheduler to
// need telling.
func ConsoleWrite(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	var r uintptr
	var errno syscall.Errno
	if len(p) <= shortConsoleWrite {
		r, _, errno = syscall.RawSyscall(linux.SYS_gojos_conwrite, uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)), 0)
	} else {
		r, _, errno = syscall.Syscall(linux.SYS_gojos_conwrite, uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)), 0)
	}
	if errno != 0 {
		return 0, errno
	}
	return int(r), nil
}
