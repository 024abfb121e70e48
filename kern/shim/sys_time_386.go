package shim

import (
	"gojos/kern/abi/linux"
	"gojos/kern/arch/x86"
	"gojos/kern/sched"
)

// Blocking and time: futexes, sleeps, clocks. A blocked thread's result is
// settled when it runs again (afterWake), from how it was woken.

// How a thread blocked (kthread.wait).
const (
	waitNone    = 0
	waitFutex   = 1 // result 0, or -ETIMEDOUT if the deadline passed
	waitSleep   = 2 // result 0
	waitRestart = 3 // the call re-executes; timeoutReg gets the ms left

	regNone = 0
	regESI  = 1
)

// sched_all wakes every waiter.
const sched_all = 1 << 30

// blockRestart blocks the current thread on a wait channel; when woken it
// executes the same system call again.
func blockRestart(tf *x86.TrapFrame, nr uint32, ch uint32, deadline int64) {
	cur := sch.Current()
	k := &kthreads[cur]
	k.wait = waitRestart
	k.deadline = deadline
	k.timeoutReg = regNone
	restartSyscall(tf, nr)
	sch.BlockOn(cur, ch, deadline)
}

// afterWake settles the result of the system call slot blocked in.
func afterWake(slot int, tf *x86.TrapFrame) {
	k := &kthreads[slot]
	switch k.wait {
	case waitFutex:
		if sch.WakeReason(slot) == sched.WakeTimeout {
			tf.Eax = errETIMEDOUT
		}
	case waitRestart:
		if k.timeoutReg == regESI && k.deadline != 0 {
			left := (k.deadline - nanotime() + 999999) / 1000000
			if left < 0 {
				left = 0
			}
			tf.Esi = uint32(left)
		}
	}
	k.wait = waitNone
}

// readTimespec reads a relative timeout: 32-bit fields, or 64-bit ones for
// the *_time64 calls. ok is false for a bad pointer or value.
func readTimespec(p uint32, wide bool) (ns int64, ok bool) {
	n := linux.TimespecLen(wide)
	if !validRange(p, n, false) {
		return 0, false
	}
	return linux.DecodeTimespec(mem(p, int(n)), wide)
}

func sysFutex(tf *x86.TrapFrame, addr, op, val, ts uint32, wide bool) int32 {
	if addr&3 != 0 {
		return -linux.EINVAL
	}
	if !validRange(addr, 4, false) {
		return -linux.EFAULT
	}
	switch op &^ (linux.FUTEX_PRIVATE_FLAG | linux.FUTEX_CLOCK_REALTIME) {
	case linux.FUTEX_WAIT:
		if get32(uintptr(addr)) != val {
			return -linux.EAGAIN
		}
		deadline := int64(0)
		if ts != 0 {
			d, ok := readTimespec(ts, wide)
			if !ok {
				return -linux.EINVAL
			}
			if d == 0 {
				return -linux.ETIMEDOUT
			}
			deadline = nanotime() + d
		}
		cur := sch.Current()
		kthreads[cur].wait = waitFutex
		sch.FutexWait(cur, addr, deadline)
		return 0
	case linux.FUTEX_WAKE:
		n := int(int32(val))
		if n <= 0 {
			return 0
		}
		return int32(sch.FutexWake(addr, n))
	}
	logUnsupported("futex op", op)
	return -linux.ENOSYS
}

func sysNanosleep(tf *x86.TrapFrame, req uint32) int32 {
	d, ok := readTimespec(req, false)
	if !ok {
		return -linux.EINVAL
	}
	if d == 0 {
		needResched = true
		return 0
	}
	cur := sch.Current()
	kthreads[cur].wait = waitSleep
	sch.Sleep(cur, nanotime()+d)
	return 0
}

func sysClockGettime(id int32, ts uint32, wide bool) int32 {
	real, ok := linux.ClockRealtime(id)
	if !ok {
		return -linux.EINVAL
	}
	ns := nanotime()
	if real {
		ns = realtime()
	}
	n := linux.TimespecLen(wide)
	if !validRange(ts, n, true) {
		return -linux.EFAULT
	}
	linux.EncodeTimespec(mem(ts, int(n)), ns, wide)
	return 0
}

func sysGettimeofday(tv uint32) int32 {
	if tv == 0 {
		return 0
	}
	if !validRange(tv, 8, true) {
		return -linux.EFAULT
	}
	ns := realtime()
	put32(uintptr(tv), uint32(ns/1000000000))
	put32(uintptr(tv)+4, uint32(ns%1000000000/1000))
	return 0
}

// Negative errnos as register values.
const errETIMEDOUT = uint32(0xFFFFFFFF - linux.ETIMEDOUT + 1)

const siTkill = uint32(0xFFFFFFFF + linux.SI_TKILL + 1)
