package proc

import (
	"bytes"
	"encoding/binary"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"gojos/kern/abi/linux"
	"gojos/kern/abi/signal"
)

// testConsole is the console of the host tests: what processes write.
type testConsole struct {
	mu  sync.Mutex
	out bytes.Buffer
}

func (c *testConsole) Read([]byte) (int, error) { return 0, os.ErrClosed }
func (c *testConsole) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.out.Write(p)
}

var console0 = &testConsole{}

var testRoot = fstest.MapFS{
	"bin/prog":        {Data: testProgram, Mode: 0o755},
	"etc/motd":        {Data: []byte("hello, gojos\n")},
	"etc/passwd":      {Data: []byte("root:x:0:0::/:/bin/sh\n")},
	"home/user/a.txt": {Data: []byte("a")},
}

// hostMemory is false where palloc is the trap tier's (a linux/386 test
// binary): those tests need mem_other.go's frames.
var hostMemory = runtime.GOARCH != "386"

func needHostMemory(t testing.TB) {
	if !hostMemory {
		t.Skip("needs the host build's simulated physical memory")
	}
}

func TestMain(m *testing.M) {
	if hostMemory {
		pd, err := palloc() // the kernel page directory every address space shares
		if err != nil {
			panic(err)
		}
		Init(Deps{Root: testRoot, Console: console0, KernelPD: pd})
	}
	os.Exit(m.Run())
}

// tproc is a process of the host tests: created as Spawn does, but its
// thread never enters user mode; system calls are made through the table
// as the thread loop would make them.
type tproc struct {
	*testing.T
	p *Process
	t *Thread
	// scratch is a mapped page for arguments.
	scratch uint32
}

func newProc(tt *testing.T) *tproc {
	tt.Helper()
	needHostMemory(tt)
	p, t, err := create(nil, "prog", testProgram, []string{"prog"}, nil, NewFileTable(ConsoleFile))
	if err != nil {
		tt.Fatal(err)
	}
	tp := &tproc{T: tt, p: p, t: t}
	tp.scratch = uint32(tp.sys(linux.SYS_mmap2, 0, 2*page, linux.PROT_READ|linux.PROT_WRITE, linux.MAP_PRIVATE|linux.MAP_ANONYMOUS, 0xFFFFFFFF, 0))
	if int32(tp.scratch) < 0 {
		tt.Fatalf("mmap2: %d", int32(tp.scratch))
	}
	tt.Cleanup(func() { p.exit(0); p.as.Destroy() })
	return tp
}

// sys makes system call nr with EAX set as the trap would leave it.
func (tp *tproc) sys(nr uint32, a ...uint32) int32 {
	var args [6]uint32
	copy(args[:], a)
	tp.t.uc.Regs[linux.RegEAX] = nr
	r, _ := tp.t.dispatch(nr, &args)
	return r
}

// str puts s (NUL-terminated) in the scratch page at off.
func (tp *tproc) str(off uint32, s string) uint32 {
	if err := tp.p.as.CopyOut(tp.scratch+off, append([]byte(s), 0)); err != nil {
		tp.Fatal(err)
	}
	return tp.scratch + off
}

func (tp *tproc) read(addr uint32, n int) []byte {
	b := make([]byte, n)
	if err := tp.p.as.CopyIn(addr, b); err != nil {
		tp.Fatal(err)
	}
	return b
}

func (tp *tproc) want(what string, got, want int32) {
	tp.Helper()
	if got != want {
		tp.Errorf("%s = %d, want %d", what, got, want)
	}
}

func TestFileSyscalls(t *testing.T) {
	tp := newProc(t)
	fd := tp.sys(linux.SYS_open, tp.str(0, "/etc/motd"), linux.O_RDONLY)
	tp.want("open", fd, 3)
	buf := tp.scratch + 1024
	tp.want("read", tp.sys(linux.SYS_read, uint32(fd), buf, 100), 13)
	if got := string(tp.read(buf, 13)); got != "hello, gojos\n" {
		t.Errorf("read %q", got)
	}
	tp.want("read at EOF", tp.sys(linux.SYS_read, uint32(fd), buf, 100), 0)
	tp.want("lseek", tp.sys(linux.SYS_lseek, uint32(fd), 7, 0), 7)
	tp.want("read after lseek", tp.sys(linux.SYS_read, uint32(fd), buf, 100), 6)
	tp.want("write to a read-only file", tp.sys(linux.SYS_write, uint32(fd), buf, 1), -linux.EBADF)

	// dup, dup2, fcntl and close follow Linux's fd rules.
	tp.want("dup", tp.sys(linux.SYS_dup, uint32(fd)), 4)
	tp.want("dup2", tp.sys(linux.SYS_dup2, uint32(fd), 9), 9)
	tp.want("dup2 onto itself", tp.sys(linux.SYS_dup2, 9, 9), 9)
	tp.want("dup3 onto itself", tp.sys(linux.SYS_dup3, 9, 9, 0), -linux.EINVAL)
	tp.want("F_GETFD", tp.sys(linux.SYS_fcntl64, 9, linux.F_GETFD), 0)
	tp.want("F_SETFD", tp.sys(linux.SYS_fcntl64, 9, linux.F_SETFD, linux.FD_CLOEXEC), 0)
	tp.want("F_GETFD after", tp.sys(linux.SYS_fcntl64, 9, linux.F_GETFD), linux.FD_CLOEXEC)
	tp.want("F_DUPFD", tp.sys(linux.SYS_fcntl64, uint32(fd), linux.F_DUPFD, 20), 20)
	tp.want("close", tp.sys(linux.SYS_close, 9), 0)
	tp.want("close again", tp.sys(linux.SYS_close, 9), -linux.EBADF)
	tp.want("read closed", tp.sys(linux.SYS_read, 9, buf, 1), -linux.EBADF)
	tp.want("negative fd", tp.sys(linux.SYS_close, 0xFFFFFFFF), -linux.EBADF)

	// Paths: missing files, writing, directories, bad pointers.
	tp.want("open missing", tp.sys(linux.SYS_open, tp.str(0, "/etc/nothere"), 0), -linux.ENOENT)
	tp.want("open for writing", tp.sys(linux.SYS_open, tp.str(0, "/etc/motd"), linux.O_WRONLY), -linux.EROFS)
	tp.want("O_CREAT", tp.sys(linux.SYS_open, tp.str(0, "/etc/new"), linux.O_CREAT|linux.O_RDWR), -linux.EROFS)
	tp.want("open bad pointer", tp.sys(linux.SYS_open, 0x10, 0), -linux.EFAULT)
	tp.want("open kernel pointer", tp.sys(linux.SYS_open, 0xC0100000, 0), -linux.EFAULT)
	tp.want("read into a bad buffer", tp.sys(linux.SYS_read, uint32(fd), 0x10, 5), -linux.EFAULT)
	tp.want("unknown syscall", tp.sys(9999), -linux.ENOSYS)
	tp.want("statx", tp.sys(linux.SYS_statx), -linux.ENOSYS)
}

func TestPathResolution(t *testing.T) {
	tp := newProc(t)
	cwd := func() string {
		n := tp.sys(linux.SYS_getcwd, tp.scratch+2048, 256)
		if n < 0 {
			t.Fatalf("getcwd: %d", n)
		}
		return string(tp.read(tp.scratch+2048, int(n)-1))
	}
	if cwd() != "/" {
		t.Fatalf("cwd %q", cwd())
	}
	tp.want("chdir", tp.sys(linux.SYS_chdir, tp.str(0, "home/user")), 0)
	if cwd() != "/home/user" {
		t.Errorf("cwd %q", cwd())
	}
	tp.want("open relative", tp.sys(linux.SYS_open, tp.str(0, "a.txt"), 0), 3)
	tp.want("open via ..", tp.sys(linux.SYS_open, tp.str(0, "../../etc/./motd"), 0), 4)
	tp.want("openat AT_FDCWD", tp.sys(linux.SYS_openat, uint32(0xFFFFFF9C), tp.str(0, "a.txt"), 0), 5)
	tp.want("chdir to a file", tp.sys(linux.SYS_chdir, tp.str(0, "a.txt")), -linux.ENOTDIR)
	tp.want("chdir missing", tp.sys(linux.SYS_chdir, tp.str(0, "/nope")), -linux.ENOENT)
	tp.want("chdir ..", tp.sys(linux.SYS_chdir, tp.str(0, "../../../..")), 0)
	if cwd() != "/" {
		t.Errorf("cwd after .. past the root: %q", cwd())
	}
	tp.want("getcwd too small", tp.sys(linux.SYS_getcwd, tp.scratch, 1), -linux.ERANGE)
	tp.want("access", tp.sys(linux.SYS_access, tp.str(0, "/etc/passwd"), 4), 0)
	tp.want("access missing", tp.sys(linux.SYS_access, tp.str(0, "/etc/shadow"), 0), -linux.ENOENT)
}

func TestPipe(t *testing.T) {
	tp := newProc(t)
	fds := tp.scratch + 512
	tp.want("pipe2", tp.sys(linux.SYS_pipe2, fds, linux.O_CLOEXEC), 0)
	b := tp.read(fds, 8)
	r, w := binary.LittleEndian.Uint32(b), binary.LittleEndian.Uint32(b[4:])
	tp.want("write", tp.sys(linux.SYS_write, w, tp.str(0, "ping"), 4), 4)
	tp.want("read", tp.sys(linux.SYS_read, r, tp.scratch+100, 10), 4)
	if string(tp.read(tp.scratch+100, 4)) != "ping" {
		t.Error("pipe data")
	}
	tp.want("cloexec", tp.sys(linux.SYS_fcntl64, r, linux.F_GETFD), linux.FD_CLOEXEC)
	tp.want("close writer", tp.sys(linux.SYS_close, w), 0)
	tp.want("read at EOF", tp.sys(linux.SYS_read, r, tp.scratch+100, 10), 0)
}

func TestSignalSyscalls(t *testing.T) {
	tp := newProc(t)
	act := signal.Action{Handler: 0x08049000, Flags: linux.SA_RESTORER | linux.SA_ONSTACK, Restorer: 0x08049100, Mask: signal.Bit(4)}
	var b [linux.SigactionSize]byte
	act.Put(b[:])
	tp.p.as.CopyOut(tp.scratch, b[:])
	old := tp.scratch + 100
	tp.want("rt_sigaction", tp.sys(linux.SYS_rt_sigaction, linux.SIGUSR1, tp.scratch, 0, 8), 0)
	tp.want("rt_sigaction query", tp.sys(linux.SYS_rt_sigaction, linux.SIGUSR1, 0, old, 8), 0)
	if got := signal.GetAction(tp.read(old, linux.SigactionSize)); got != act {
		t.Errorf("old action %+v", got)
	}
	tp.want("SIGKILL", tp.sys(linux.SYS_rt_sigaction, linux.SIGKILL, tp.scratch, 0, 8), -linux.EINVAL)
	tp.want("bad size", tp.sys(linux.SYS_rt_sigaction, linux.SIGUSR1, 0, old, 4), -linux.EINVAL)
	tp.want("signal 65", tp.sys(linux.SYS_rt_sigaction, 65, 0, old, 8), -linux.EINVAL)

	// The mask: SIGKILL cannot be blocked.
	var m [8]byte
	signal.PutMask(m[:], signal.Bit(linux.SIGUSR2)|signal.Bit(linux.SIGKILL))
	tp.p.as.CopyOut(tp.scratch+200, m[:])
	tp.want("sigprocmask", tp.sys(linux.SYS_rt_sigprocmask, linux.SIG_BLOCK, tp.scratch+200, tp.scratch+300, 8), 0)
	tp.want("sigprocmask query", tp.sys(linux.SYS_rt_sigprocmask, linux.SIG_BLOCK, 0, tp.scratch+300, 8), 0)
	if got := signal.GetMask(tp.read(tp.scratch+300, 8)); got != signal.Bit(linux.SIGUSR2) {
		t.Errorf("mask %#x", got)
	}

	// sigaltstack, then delivery of a queued signal onto it.
	var st [linux.StackTSize]byte
	signal.Stack{SP: tp.scratch + 4096, Size: 4096}.Put(st[:])
	tp.p.as.CopyOut(tp.scratch+400, st[:])
	tp.want("sigaltstack", tp.sys(linux.SYS_sigaltstack, tp.scratch+400, 0), 0)
	tp.want("tgkill", tp.sys(linux.SYS_tgkill, uint32(tp.p.Pid), uint32(tp.t.Tid), linux.SIGUSR1), 0)
	tp.want("tgkill bad signal", tp.sys(linux.SYS_tgkill, uint32(tp.p.Pid), uint32(tp.t.Tid), 0x80000000), -linux.EINVAL)
	tp.want("tgkill no thread", tp.sys(linux.SYS_tgkill, uint32(tp.p.Pid), 99999, 1), -linux.ESRCH)
	eip := tp.t.uc.Regs[linux.RegEIP]
	if !tp.t.deliverPending() {
		t.Fatal("delivery ended the process")
	}
	r := &tp.t.uc.Regs
	if r[linux.RegEIP] != act.Handler || r[linux.RegEAX] != linux.SIGUSR1 ||
		r[linux.RegESP] < tp.scratch+4096 || r[linux.RegESP] >= tp.scratch+8192 {
		t.Fatalf("handler entry: eip %#x esp %#x", r[linux.RegEIP], r[linux.RegESP])
	}
	if tp.t.sigmask&signal.Bit(linux.SIGUSR1) == 0 || tp.t.sigmask&signal.Bit(4) == 0 {
		t.Errorf("mask in the handler %#x", tp.t.sigmask)
	}
	// The handler returns through rt_sigreturn: ESP is past the return address.
	r[linux.RegESP] += 4
	tp.want("rt_sigreturn", tp.sys(linux.SYS_rt_sigreturn), 0)
	if r[linux.RegEIP] != eip || tp.t.sigmask != signal.Bit(linux.SIGUSR2) {
		t.Errorf("after rt_sigreturn: eip %#x mask %#x", r[linux.RegEIP], tp.t.sigmask)
	}
}

func TestFaultSignals(t *testing.T) {
	tp := newProc(t)
	// A handler for SIGBUS: an alignment fault reaches it (the mapping
	// both tiers share), with BUS_ADRALN.
	act := signal.Action{Handler: 0x08049000, Restorer: 0x08049100}
	var b [linux.SigactionSize]byte
	act.Put(b[:])
	tp.p.as.CopyOut(tp.scratch, b[:])
	tp.want("rt_sigaction", tp.sys(linux.SYS_rt_sigaction, linux.SIGBUS, tp.scratch, 0, 8), 0)
	tp.t.uc.Regs[linux.RegESP] = tp.scratch + 2*page - 16
	if !tp.t.handleTrap(17) { // #AC
		t.Fatal("alignment fault killed the process despite a handler")
	}
	f := tp.t.uc.Regs[linux.RegESP]
	info := tp.read(f+linux.SigframeInfo, 16)
	if binary.LittleEndian.Uint32(info) != linux.SIGBUS || binary.LittleEndian.Uint32(info[8:]) != linux.BUS_ADRALN {
		t.Errorf("siginfo % x", info)
	}
	// A divide error without a handler ends the process with SIGFPE.
	if tp.t.handleTrap(0) {
		t.Fatal("divide error without a handler survived")
	}
	if st := tp.p.status; st != linux.SIGFPE {
		t.Errorf("status %#x", st)
	}
}

func TestMemorySyscalls(t *testing.T) {
	tp := newProc(t)
	tp.want("munmap unaligned", tp.sys(linux.SYS_munmap, tp.scratch+1, page), -linux.EINVAL)
	tp.want("munmap kernel", tp.sys(linux.SYS_munmap, UserHi, page), -linux.EINVAL)
	tp.want("munmap empty", tp.sys(linux.SYS_munmap, tp.scratch, 0), -linux.EINVAL)
	tp.str(0, "data")
	tp.want("madvise DONTNEED", tp.sys(linux.SYS_madvise, tp.scratch, page, linux.MADV_DONTNEED), 0)
	if got := tp.read(tp.scratch, 4); !bytes.Equal(got, make([]byte, 4)) {
		t.Errorf("MADV_DONTNEED kept % x", got)
	}
	tp.want("mprotect read-only", tp.sys(linux.SYS_mprotect, tp.scratch, page, linux.PROT_READ), 0)
	if err := tp.p.as.CopyOut(tp.scratch, []byte{1}); err == nil {
		t.Error("wrote a read-only page")
	}
	tp.want("munmap", tp.sys(linux.SYS_munmap, tp.scratch, 2*page), 0)
	if err := tp.p.as.CopyOut(tp.scratch, []byte{1}); err == nil {
		t.Error("wrote an unmapped page")
	}
	tp.want("brk", tp.sys(linux.SYS_brk, 0), int32(tp.p.as.brk))
	un := tp.sys(linux.SYS_mmap2, 0, page, linux.PROT_READ|linux.PROT_WRITE, linux.MAP_PRIVATE|linux.MAP_ANONYMOUS, 0xFFFFFFFF, 0)
	tp.want("uname", tp.sys(linux.SYS_uname, uint32(un)), 0)
	if got := string(tp.read(uint32(un), 5)); got != "gojos" {
		t.Errorf("uname sysname %q", got)
	}
	tp.want("getrandom", tp.sys(linux.SYS_getrandom, uint32(un), 16, 0), 16)
}

func TestIDsAndWait(t *testing.T) {
	tp := newProc(t)
	tp.want("getpid", tp.sys(linux.SYS_getpid), int32(tp.p.Pid))
	tp.want("getuid32", tp.sys(linux.SYS_getuid32), 0)
	tp.want("setuid32", tp.sys(linux.SYS_setuid32, 1000), 0)
	tp.want("geteuid32", tp.sys(linux.SYS_geteuid32), 1000)
	tp.want("setuid back", tp.sys(linux.SYS_setuid32, 0), -linux.EPERM)
	tp.want("reboot as a user", tp.sys(linux.SYS_reboot, 0xfee1dead, 672274793, 0x4321fedc), -linux.EPERM)
	tp.want("wait4 without children", tp.sys(linux.SYS_wait4, 0xFFFFFFFF, 0, 0), -linux.ECHILD)

	// A child that exits: wait4 reaps it with its status.
	child, ct, err := create(tp.p, "child", testProgram, []string{"child"}, nil, NewFileTable(ConsoleFile))
	if err != nil {
		t.Fatal(err)
	}
	tp.want("wait4 WNOHANG, running child", tp.sys(linux.SYS_wait4, 0xFFFFFFFF, 0, 1), 0)
	child.exit(3 << 8)
	ct.exitThread() // what its thread loop does when it sees the exit
	status := tp.scratch + 64
	tp.want("wait4", tp.sys(linux.SYS_wait4, 0xFFFFFFFF, status, 0), int32(child.Pid))
	if st := binary.LittleEndian.Uint32(tp.read(status, 4)); st != 3<<8 {
		t.Errorf("status %#x", st)
	}
	tp.want("wait4 again", tp.sys(linux.SYS_wait4, 0xFFFFFFFF, 0, 0), -linux.ECHILD)
}

func TestExecve(t *testing.T) {
	tp := newProc(t)
	argv := tp.scratch + 512
	var b [12]byte
	binary.LittleEndian.PutUint32(b[0:], tp.str(0, "/bin/prog"))
	binary.LittleEndian.PutUint32(b[4:], tp.str(32, "hello"))
	tp.p.as.CopyOut(argv, b[:])
	tp.want("execve missing", tp.sys(linux.SYS_execve, tp.str(64, "/bin/none"), argv, 0), -linux.ENOENT)
	tp.want("execve not ELF", tp.sys(linux.SYS_execve, tp.str(64, "/etc/motd"), argv, 0), -linux.ENOEXEC)
	tp.want("execve", tp.sys(linux.SYS_execve, tp.str(0, "/bin/prog"), argv, 0), 0)
	r := &tp.t.uc.Regs
	if r[linux.RegEIP] != 0x08048000+84 || !strings.HasPrefix(tp.p.Name, "prog") {
		t.Errorf("after execve: eip %#x name %q", r[linux.RegEIP], tp.p.Name)
	}
	var argc [4]byte
	tp.p.as.CopyIn(r[linux.RegESP], argc[:])
	if binary.LittleEndian.Uint32(argc[:]) != 2 {
		t.Errorf("argc %d", argc[0])
	}
}

func TestTimeSyscalls(t *testing.T) {
	tp := newProc(t)
	ts := tp.scratch + 128
	tp.want("clock_gettime64", tp.sys(linux.SYS_clock_gettime64, linux.CLOCK_REALTIME, ts), 0)
	if ns, ok := linux.DecodeTimespec(tp.read(ts, 16), true); !ok || ns < 1.7e18 {
		t.Errorf("realtime %d %v", ns, ok)
	}
	tp.want("clock_gettime", tp.sys(linux.SYS_clock_gettime, linux.CLOCK_MONOTONIC, ts), 0)
	tp.want("bad clock", tp.sys(linux.SYS_clock_gettime, 99, ts), -linux.EINVAL)
	tp.want("bad pointer", tp.sys(linux.SYS_clock_gettime, linux.CLOCK_MONOTONIC, 0x10), -linux.EFAULT)
	var b [8]byte
	binary.LittleEndian.PutUint32(b[4:], 1e9)
	tp.p.as.CopyOut(ts, b[:])
	tp.want("nanosleep with 1e9 ns", tp.sys(linux.SYS_nanosleep, ts, 0), -linux.EINVAL)
	binary.LittleEndian.PutUint32(b[4:], 1000)
	tp.p.as.CopyOut(ts, b[:])
	tp.want("nanosleep 1 µs", tp.sys(linux.SYS_nanosleep, ts, 0), 0)
}
