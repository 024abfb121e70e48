package sysfuzz

import (
	"encoding/binary"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"syscall"
	"unsafe"
)

// The child: issues calls [from, to) of a seed and reports each result on
// the report pipe, which it moves to a descriptor no generated argument
// names (the pool's descriptors are 0–16 and out-of-range values).
const (
	reportFD   = 200
	recordSize = 12 // index, raw result, errno: little-endian uint32s
	readyIndex = 0xffffffff
)

// issue makes one raw system call; a variable so that host tests can run
// the child's loop without random system calls on the host.
var issue = func(c Call, a [6]uint32) (uint32, syscall.Errno) {
	r, _, e := syscall.Syscall6(uintptr(c.Nr), uintptr(a[0]), uintptr(a[1]), uintptr(a[2]),
		uintptr(a[3]), uintptr(a[4]), uintptr(a[5]))
	return uint32(r), e
}

// arena is the child's memory for pointer arguments.
type arena struct {
	mem  []byte
	base uint32
}

func mapArena() (*arena, error) {
	mem, err := syscall.Mmap(-1, 0, mappedSize, syscall.PROT_READ|syscall.PROT_WRITE,
		syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil, fmt.Errorf("mmap arena: %v", err)
	}
	if err := syscall.Mprotect(mem[arenaSize:], syscall.PROT_NONE); err != nil {
		return nil, fmt.Errorf("mprotect guard page: %v", err)
	}
	return &arena{mem: mem[:arenaSize], base: uint32(uintptr(unsafe.Pointer(&mem[0])))}, nil
}

// reset restores the arena's contents; false if a call took the memory
// away (munmap, mprotect, MAP_FIXED): the fault is caught (SetPanicOnFault).
func (ar *arena) reset() (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	clear(ar.mem[:strOff])
	for k, s := range Strings {
		slot := ar.mem[strOff+k*strSlot : strOff+(k+1)*strSlot]
		clear(slot)
		copy(slot[:strSlot-1], s)
	}
	return true
}

func runChild(seed int64, from, to int) error {
	if err := syscall.Dup3(3, reportFD, syscall.O_CLOEXEC); err != nil {
		return fmt.Errorf("moving the report pipe: %v", err)
	}
	syscall.Close(3)
	runtime.LockOSThread() // one tid for tkill/tgkill to aim at
	debug.SetPanicOnFault(true)
	ar, err := mapArena()
	if err != nil {
		return err
	}
	pid, tid := uint32(syscall.Getpid()), uint32(syscall.Gettid())
	report := func(i, r uint32, e syscall.Errno) {
		var rec [recordSize]byte
		binary.LittleEndian.PutUint32(rec[0:], i)
		binary.LittleEndian.PutUint32(rec[4:], r)
		binary.LittleEndian.PutUint32(rec[8:], uint32(e))
		if n, err := syscall.Write(reportFD, rec[:]); n != recordSize || err != nil {
			os.Exit(3) // the report pipe is gone: nothing more can be told
		}
	}
	report(readyIndex, 0, 0)
	for i := from; i < to; i++ {
		c := Generate(seed, i)
		for !ar.reset() {
			if ar, err = mapArena(); err != nil {
				return err
			}
		}
		r, e := issue(c, c.Resolve(ar.base, pid, tid))
		report(uint32(i), r, e)
	}
	return nil
}
