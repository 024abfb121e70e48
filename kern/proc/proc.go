package proc

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"unsafe"

	"gojos/kern/abi/linux"
	"gojos/kern/abi/signal"
	"gojos/kern/arch/x86"
	"gojos/kern/klog"
	"gojos/kern/tstamp"
)

// Process is a user process: an address space, threads, files and a place
// in the process tree.
type Process struct {
	Pid  int
	Name string
	// parent is the process that reaps this one: its creator, or init
	// once the creator has ended (orphan.go); nil for init, and for an
	// orphan when no init is running.
	parent atomic.Pointer[Process]
	isInit bool // started by the kernel (Spawn without a parent)

	mu         sync.Mutex
	as         *AddressSpace
	threads    map[int]*Thread
	exited     bool
	status     int // wait status (Linux encoding)
	done       chan struct{}
	exiting    atomic.Bool      // set just before done is closed
	children   map[int]*Process // nil once handed to init (orphan.go)
	futex      futexTable
	sig        signalState
	files      *FileTable
	cwd        string
	vforkDone  chan struct{} // closed when a vfork child execs or exits
	sharesAS   bool          // a vfork child still using its parent's memory
	childEvent chan struct{} // closed when a child exits
	zombie     bool          // exited and every thread gone: ready to reap
	lastErr    string        // reason of the last failed module call
	dead       chan struct{} // closed when the process becomes a zombie
	rlim       [linux.RLIM_NLIMITS]Rlimit
	cred       Cred // user and group IDs (cred.go); guarded by mu
	execed     bool // has called execve (setpgid by its parent: EACCES)

	// Process group and session (jobctl.go); guarded by tableMu.
	pgid, sid int
}

// Thread is one user thread: its saved user context and its goroutine.
type Thread struct {
	Tid int
	P   *Process
	uc  *linux.UserContext // 16-byte aligned (newUserContext)
	// clearTID: CLONE_CHILD_CLEARTID address
	clearTID uint32

	sigmask uint64        // blocked signals, bit sig-1
	pending atomic.Uint64 // signals sent to this thread (tgkill)
	alt     signal.Stack  // sigaltstack
	exitNow bool          // set by a system call that ends the thread
	// sysArgs are the arguments of the system call being answered; the
	// handlers read them through a pointer (no copy, no allocation).
	sysArgs args
	ioBuf   [smallIO]byte // small reads' and writes' bytes (ioBuffer)

	imu  sync.Mutex
	intr chan struct{} // closed to end the thread's current wait (intr.go)
}

var (
	tableMu sync.Mutex
	procs   = map[int]*Process{}
	nextPid = 1
)

func allocPid() int {
	tableMu.Lock()
	defer tableMu.Unlock()
	pid := nextPid
	nextPid++
	return pid
}

// Spawn starts program data (an ELF image) as a new process whose parent is
// parent (nil for init). It returns once the process is running.
func Spawn(parent *Process, name string, data []byte, argv, envp []string, files *FileTable) (*Process, error) {
	p, t, err := create(parent, name, data, argv, envp, files)
	if err != nil {
		return nil, err
	}
	go t.run()
	return p, nil
}

// create is Spawn up to running the first thread: the process is loaded,
// registered and has its thread, which has not run yet.
func create(parent *Process, name string, data []byte, argv, envp []string, files *FileTable) (*Process, *Thread, error) {
	id := RootCred()
	if parent != nil {
		id = parent.Cred()
	}
	img, err := Load(data, argv, envp, id)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", name, err)
	}
	p := newProcess(parent, name, files)
	p.as = img.AS
	p.as.applyLimits(&p.rlim)
	t := p.newThread(allocPid())
	t.uc.Regs[linux.RegEIP] = img.Entry
	t.uc.Regs[linux.RegESP] = img.SP
	t.uc.Regs[linux.RegEFLAGS] = x86.FlagsUser
	p.Pid = t.Tid
	if parent == nil {
		p.isInit = true
		p.pgid, p.sid = p.Pid, p.Pid // init: a session, with the console
	}
	register(p)
	if parent == nil {
		setConsoleSession(p)
		setInit(p)
	}
	initFPU(t.uc)
	return p, t, nil
}

func newProcess(parent *Process, name string, files *FileTable) *Process {
	p := &Process{
		Name:     name,
		threads:  map[int]*Thread{},
		children: map[int]*Process{},
		done:     make(chan struct{}),
		dead:     make(chan struct{}),
		files:    files,
		cwd:      "/",
	}
	p.parent.Store(parent)
	p.futex.init()
	p.rlim = defaultRlimits()
	p.cred = RootCred()
	if parent != nil {
		p.cwd = parent.cwd
		parent.mu.Lock()
		p.rlim = parent.rlim
		p.cred = parent.cred.Clone()
		parent.mu.Unlock()
		tableMu.Lock()
		p.pgid, p.sid = parent.pgid, parent.sid
		tableMu.Unlock()
		p.sig.inherit(&parent.sig)
	}
	return p
}

// Cred returns a copy of the process's user and group IDs.
func (p *Process) Cred() Cred {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cred.Clone()
}

// privileged reports whether the process may do what needs root (euid 0).
func (p *Process) privileged() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cred.Privileged()
}

func register(p *Process) {
	tableMu.Lock()
	procs[p.Pid] = p
	tableMu.Unlock()
	if parent := p.parent.Load(); parent != nil && !parent.adopt(p) {
		p.orphan() // the parent is gone already
	}
}

// Parent returns the process that reaps p (nil for init).
func (p *Process) Parent() *Process { return p.parent.Load() }

func (p *Process) newThread(tid int) *Thread {
	t := &Thread{Tid: tid, P: p, uc: newUserContext()}
	p.mu.Lock()
	p.threads[tid] = t
	p.mu.Unlock()
	return t
}

// newUserContext returns a zeroed context whose Fx lies on a 16-byte
// boundary, as the trap tier needs it (linux.UserContext): its own
// allocation, aligned by hand, since the heap promises no more than 8 bytes.
func newUserContext() *linux.UserContext {
	const size = unsafe.Sizeof(linux.UserContext{})
	b := make([]byte, size+15)
	off := -uintptr(unsafe.Pointer(&b[0])) & 15
	return (*linux.UserContext)(unsafe.Pointer(&b[off]))
}

// initFPU gives a new thread the FPU/SSE state of a freshly reset CPU.
func initFPU(uc *linux.UserContext) {
	uc.Fx[0], uc.Fx[1] = 0x7F, 0x03   // FCW 0x037F
	uc.Fx[24], uc.Fx[25] = 0x80, 0x1F // MXCSR 0x1F80
}

// run is the thread's loop: user code until a trap, then the trap's handler.
func (t *Thread) run() {
	defer t.exitThread()
	defer func() {
		// System calls and traps have their own guard; this one catches
		// a kernel bug in signal delivery and the rest of the loop.
		if v := recover(); v != nil {
			kernelBugs.Add(1)
			t.kernelBug("the thread loop", v)
		}
	}()
	short := false // see runUser
	for !t.P.isExiting() {
		if !t.deliverPending() {
			return
		}
		t.P.mu.Lock()
		t.uc.CR3 = t.P.as.PD
		t.uc.Flush = t.P.as.TLBWord()
		t.P.mu.Unlock()
		trap := runUser(t.uc, short)
		short = trap < x86.IRQBase || trap >= x86.IRQBase+16
		if t.P.isExiting() || !t.handle(trap) {
			return
		}
	}
}

// isExiting reports whether exit has begun (p.done is closed). The thread
// loop asks twice per trap: an atomic load, not a select on the channel.
func (p *Process) isExiting() bool { return p.exiting.Load() }

// handle deals with one trap; false ends the thread. A Go panic while
// handling a fault is a kernel bug and ends only this process (system
// calls have their own guard, which names the call).
func (t *Thread) handle(trap uint32) bool {
	if trap == x86.TrapSyscall {
		return t.syscall()
	}
	_, done := guard(func() (int32, bool) { return 0, !t.handleTrap(trap) }, func(v any) {
		t.kernelBug(fmt.Sprintf("trap %d (eip=%#x cr2=%#x)", trap, t.uc.Regs[linux.RegEIP], t.uc.CR2), v)
	})
	return !done
}

func init() {
	RegisterProcFile("kbugs", func() []byte { return []byte(fmt.Sprintf("%d\n", KernelBugs())) })
	RegisterProcFile("sys/kernel/osrelease", func() []byte { return append(Release(), '\n') })
}

// kernelBug reports a Go panic in the kernel's handling of what the thread
// asked for (one line) and kills the process as by SIGSEGV.
func (t *Thread) kernelBug(what string, v any) {
	klog.Printf(klog.Err, "gojos: pid %d (%s): kernel bug in %s: %v — process killed\n", t.P.Pid, t.P.Name, what, v)
	t.P.exit(linux.SIGSEGV)
}

func (t *Thread) handleTrap(trap uint32) bool {
	uc := t.uc
	switch {
	case trap >= x86.IRQBase && trap < x86.IRQBase+16:
		return true // a timer tick or device interrupt: just resume
	case trap == x86.TrapPageFault:
		write := uc.Err&x86.PFWrite != 0
		if tstamp.Kernel.On {
			tstamp.Kernel.Syscall(t.P.Pid, t.Tid, tstamp.PageFault, int32(uc.CR2), false)
			defer tstamp.Kernel.Syscall(t.P.Pid, t.Tid, tstamp.PageFault, 0, true)
		}
		err := t.P.as.Fault(uc.CR2, write)
		if err == nil {
			return true
		}
		if errors.Is(err, linux.Errno(linux.ENOMEM)) {
			return t.outOfMemory(uc.CR2, write)
		}
		in := signal.FromPageFault(uc.Err, uc.CR2)
		return t.fault(in.Sig, in.Code, in.Addr)
	default:
		// Unknown vectors too end as SIGSEGV: a user program cannot
		// raise an NMI or a double fault, so this is only ever a bug.
		in, _ := signal.FromTrap(trap, uc.Regs[linux.RegEIP])
		return t.fault(in.Sig, in.Code, in.Addr)
	}
}

// fault delivers a synchronous signal to the thread's handler, or kills the
// process (one line on the console) when it has none or it is blocked.
func (t *Thread) fault(sig int, code int32, addr uint32) bool {
	if t.sigmask&sigbit(sig) == 0 && t.deliver(sig, code, addr) {
		return true
	}
	t.P.kill(sig, t.uc.Regs[linux.RegEIP], addr)
	return false
}

// SignalName returns SIGxxx for a signal number.
func SignalName(sig int) string { return linux.SignalName(sig) }

// kill ends the process because of a fault, with one line on the console.
func (p *Process) kill(sig int, pc, addr uint32) {
	klog.Printf(klog.Warning, "gojos: pid %d (%s) killed by %s: pc=%#x addr=%#x\n", p.Pid, p.Name, SignalName(sig), pc, addr)
	p.exit(sig) // wait status: terminated by signal
}

// exit ends the process with the given wait status; every thread stops at
// its next trap.
func (p *Process) exit(status int) {
	p.mu.Lock()
	if p.exited {
		p.mu.Unlock()
		return
	}
	p.exited = true
	p.status = status
	p.exiting.Store(true)
	close(p.done)
	vf := p.vforkDone
	p.vforkDone = nil
	threads := make([]*Thread, 0, len(p.threads))
	for _, t := range p.threads {
		threads = append(threads, t)
	}
	p.mu.Unlock()
	for _, t := range threads {
		t.interrupt()
	}
	if vf != nil {
		close(vf)
	}
	p.futex.wakeAll()
	if p.files != nil {
		p.files.CloseAll()
	}
}

func (t *Thread) exitThread() {
	p := t.P
	p.mu.Lock()
	delete(p.threads, t.Tid)
	last := len(p.threads) == 0
	p.mu.Unlock()
	if !last {
		return
	}
	if !p.exited {
		p.exit(0)
	}
	p.mu.Lock()
	as := p.as
	p.as = nil
	p.zombie = true
	p.mu.Unlock()
	if as != nil && !p.sharesAS {
		as.Destroy()
	}
	close(p.dead)
	p.handOffChildren()
	if parent := p.parent.Load(); parent != nil {
		parent.childExited()
	} else if !p.isInit {
		unregister(p) // an orphan with no init to reap it
	}
}

// Wait blocks until the process has exited (for the kernel's own use: init
// has no parent to reap it) and describes how it ended.
func (p *Process) Wait() string {
	<-p.dead
	p.mu.Lock()
	st := p.status
	p.mu.Unlock()
	unregister(p)
	if st&0x7F != 0 {
		return "signal " + SignalName(st&0x7F)
	}
	return fmt.Sprintf("status %d", st>>8)
}
