package kabi

// Guard is how C module code is contained. The bridges that enter C
// (callC, cBridge) fill it in with interrupts off before switching to
// the module stack; the trap tier (kern/shim) reads it when a CPU exception
// (or a system call) arrives from ring 1 while Active is set: instead of
// turning the exception into a signal for the Go runtime — whose traceback
// cannot walk the module stack — it records the fault in Ring, restores the
// bridge's Go stack pointer and segment registers, and resumes at Resume,
// the bridge's recovery entry, which returns to the Go caller as if the C
// function had returned. The fields are plain words: the trap tier stores no
// pointers (docs/design.md, trap-tier rules). Offsets reach the assembly
// through go_asm.h.
type Guard struct {
	Active  uint32 // nonzero while C code runs
	SavedSP uint32 // the Go stack pointer to unwind to (points at the saved EFLAGS)
	Resume  uint32 // the bridge's recovery entry
	SavedGS uint32
	SavedFS uint32
	Fn      uint32 // the C function the bridge entered
	Kind    uint32 // FaultInCall or FaultInPatch
	Seq     uint32 // faults contained so far (a futex word for the fault watcher)
	Ring    [FaultRingSize]Fault
}

// Fault is one contained CPU exception in module code.
type Fault struct {
	Seq    uint32 // Guard.Seq after this fault was counted
	Kind   uint32 // FaultInCall or FaultInPatch
	Trapno uint32 // the CPU exception vector (0x80: a system call from C code)
	Err    uint32 // the CPU's error code
	Eip    uint32 // where it happened
	Addr   uint32 // CR2 for a page fault
	Esp    uint32 // the C stack pointer at the fault
	Fn     uint32 // the C function the bridge had entered
}

// FaultRingSize is how many recent faults the guard remembers.
const FaultRingSize = 8

// Kinds of bridge a fault unwound.
const (
	FaultInCall  = 1 // CallC: the Go caller gets an error
	FaultInPatch = 2 // a patched Go function's bridge: its caller gets zero results
)

// G is the guard of the one module stack (one CPU, interrupts off while C
// runs: doc.go).
var G Guard

// Record is what the trap tier calls on an exception in guarded C code. It
// fills the ring and returns the frame fields to resume with; the caller
// owns the frame.
//
//go:nosplit
func (g *Guard) Record(trapno, err, eip, addr, esp uint32) {
	g.Seq++
	f := &g.Ring[g.Seq%FaultRingSize]
	f.Seq = g.Seq
	f.Kind = g.Kind
	f.Trapno = trapno
	f.Err = err
	f.Eip = eip
	f.Addr = addr
	f.Esp = esp
	f.Fn = g.Fn
	g.Active = 0
}

// FaultError is a call into C that faulted and was unwound.
type FaultError struct {
	Fault
	Lost bool // the ring no longer held the details (many faults at once)
}

func (e *FaultError) Error() string {
	if e.Lost {
		return "module code faulted (details lost)"
	}
	return "module code faulted: " + e.Fault.Describe()
}

// TrapSyscall is the vector of a system call (INT $0x80) made by C code.
const TrapSyscall = 0x80

// (Sparse arrays rather than maps: an array of strings is static data,
// while a map literal is built at every boot by the package's initialisation.)
var trapNames = [...]string{
	0: "divide error", 1: "debug exception", 3: "breakpoint", 4: "overflow",
	5: "bound range exceeded", 6: "invalid opcode", 7: "FPU not available",
	10: "invalid TSS", 11: "segment not present", 12: "stack-segment fault",
	13: "general protection fault", 14: "page fault", 16: "x87 FPU error",
	17: "alignment check", 19: "SIMD exception", TrapSyscall: "system call",
}

// Describe says what happened, without symbols: "page fault (write) at
// address 0x0, pc 0x7d6012".
func (f Fault) Describe() string {
	var name string
	if f.Trapno < uint32(len(trapNames)) {
		name = trapNames[f.Trapno]
	}
	if name == "" {
		name = "exception " + hex(f.Trapno)
	}
	s := name
	switch f.Trapno {
	case 14:
		what := "read"
		switch {
		case f.Err&0x10 != 0 || f.Eip == f.Addr: // without NX the CPU does not set the I/D bit
			what = "instruction fetch"
		case f.Err&2 != 0:
			what = "write"
		}
		s += " (" + what + ") at address " + hex(f.Addr)
	case 10, 11, 12, 13:
		if f.Err != 0 {
			s += " (error code " + hex(f.Err) + ")"
		}
	}
	return s + ", pc " + hex(f.Eip)
}

func hex(v uint32) string {
	const digits = "0123456789abcdef"
	var b [10]byte
	i := len(b)
	for {
		i--
		b[i] = digits[v&15]
		v >>= 4
		if v == 0 {
			break
		}
	}
	i--
	b[i] = 'x'
	i--
	b[i] = '0'
	return string(b[i:])
}
