// Package sysprobe is the sysprobe command, which makes hostile system
// calls on purpose and checks that the kernel answers them as Linux does
// (an errno) instead of dying or killing the caller:
//
//	sysprobe fd|signal|io|stdin-abandon|testbug|threads|creds|kptr|modsig|jobctl|syslog|restart ...
//
//	fd             descriptor numbers out of range: fcntl F_DUPFD
//	               0xffffffff, dup2/dup3 to 0xffffffff or 256, close(-1) …
//	signal         invalid signal numbers (65, 100, 0x80000000) for kill,
//	               tgkill, tkill, rt_sigaction, rt_sigprocmask; kill(0, 0)
//	io             read/write/getdents64 with kernel addresses, lengths
//	               reaching past user space, and huge lengths on valid
//	               buffers (the kernel moves at most 64 KiB per call)
//	stdin-abandon  exit while a goroutine is blocked reading the console:
//	               the next line typed must reach the shell, not the dead
//	               process
//	testbug        ask the kernel to panic in a system call's handler
//	               (gojos_ctl "testbug"): only this process may die
//	threads        keep 100 user threads busy at once (more than the
//	               kernel's own threads)
//	creds, kptr    users and privileges (creds.go; gojos only)
//	modsig         module signatures (modsig.go; gojos only)
//	jobctl         setpgid, getpgid, getsid, kill and the console's
//	               TIOCSPGRP with groups, pids and pointers that are bad
//	syslog         syslog(2) with bad actions, buffers, lengths, levels
//	restart        a handled signal (SA_RESTART) during a blocking read:
//	               the read goes on and returns the data written later
//
// Each check prints "call = result (want W) ok|WRONG"; the command exits 1
// if any was wrong. The calls are raw system calls with the i386 (or, on
// the host, amd64) numbers Go's syscall package has.
package sysprobe

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"gojos/kern/abi/linux"
	"gojos/user/internal/cmdutil"
)

// KernelAddr is an address inside the kernel half (the finding's read
// buffer).
const KernelAddr uintptr = 0xc0053925

var probes = sync.OnceValue(func() map[string]func(*prober) {
	return map[string]func(*prober){
		"fd":            probeFD,
		"signal":        probeSignal,
		"io":            probeIO,
		"stdin-abandon": probeStdinAbandon,
		"testbug":       probeTestBug,
		"threads":       probeThreads,
		"creds":         probeCreds,
		"kptr":          probeKptr,
		"modsig":        probeModsig,
		"jobctl":        probeJobctl,
		"syslog":        probeSyslog,
		"restart":       probeRestart,
	}
})

type prober struct {
	out   io.Writer
	wrong int
}

// Run is the sysprobe command.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := cmdutil.FlagSet("sysprobe", "fd|signal|io|stdin-abandon|testbug|threads|creds|kptr|modsig|jobctl|syslog|restart ...", stderr)
	if err := cmdutil.Parse(flags, args); err != nil {
		return err
	}
	if flags.NArg() == 0 {
		flags.Usage()
		return cmdutil.Usage
	}
	for _, name := range flags.Args() {
		if probes()[name] == nil {
			flags.Usage()
			return cmdutil.Usage
		}
	}
	p := &prober{out: stdout}
	for _, name := range flags.Args() {
		probes()[name](p)
	}
	if p.wrong > 0 {
		return fmt.Errorf("%d wrong answers", p.wrong)
	}
	fmt.Fprintln(stdout, "sysprobe: all answers as expected")
	return nil
}

// Errno names for the report.
var errnoNames = sync.OnceValue(func() map[syscall.Errno]string {
	return map[syscall.Errno]string{
		syscall.EPERM: "EPERM", syscall.ENOENT: "ENOENT", syscall.ESRCH: "ESRCH",
		syscall.EINTR: "EINTR", syscall.EBADF: "EBADF", syscall.EAGAIN: "EAGAIN",
		syscall.ENOMEM: "ENOMEM", syscall.EFAULT: "EFAULT", syscall.EINVAL: "EINVAL",
		syscall.EMFILE: "EMFILE", syscall.ENOTDIR: "ENOTDIR", syscall.ENOSYS: "ENOSYS",
		syscall.EPIPE: "EPIPE", syscall.ENOTTY: "ENOTTY",
		syscall.EKEYREJECTED: "EKEYREJECTED", syscall.ENOEXEC: "ENOEXEC", syscall.EEXIST: "EEXIST",
	}
})

// ErrnoName returns EINVAL for syscall.EINVAL, errno N for unnamed ones.
func ErrnoName(e syscall.Errno) string {
	if n, ok := errnoNames()[e]; ok {
		return n
	}
	return fmt.Sprintf("errno %d", int(e))
}

// check prints one call's result. want is an errno, or 0 for success
// (then ok, if not nil, judges the returned value).
func (p *prober) check(call string, r uintptr, e syscall.Errno, want syscall.Errno, ok func(uintptr) bool) {
	got := fmt.Sprintf("%d", int(r))
	if e != 0 {
		got = ErrnoName(e)
	}
	wantS := "success"
	if want != 0 {
		wantS = ErrnoName(want)
	}
	verdict := "ok"
	if e != want || (want == 0 && ok != nil && !ok(r)) {
		verdict = "WRONG"
		p.wrong++
	}
	fmt.Fprintf(p.out, "%s = %s (want %s) %s\n", call, got, wantS, verdict)
}

func sys(nr uintptr, a ...uintptr) (uintptr, syscall.Errno) {
	var x [6]uintptr
	copy(x[:], a)
	r, _, e := syscall.Syscall6(nr, x[0], x[1], x[2], x[3], x[4], x[5])
	return r, e
}

// nofile is the descriptor limit: RLIMIT_NOFILE where the kernel has it
// (a Linux host), else gojos's table size, 256.
func nofile() uintptr {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err == nil && rl.Cur > 0 && rl.Cur < 1<<31 {
		return uintptr(rl.Cur)
	}
	return 256
}

func probeFD(p *prober) {
	limit := nofile()
	for _, arg := range []uintptr{0xffffffff, 0x80000000, limit} {
		r, e := sys(syscall.SYS_FCNTL, 0, syscall.F_DUPFD, arg)
		p.check(fmt.Sprintf("fcntl(0, F_DUPFD, %#x)", arg), r, e, syscall.EINVAL, nil)
	}
	r, e := sys(syscall.SYS_FCNTL, 0, syscall.F_DUPFD_CLOEXEC, 0xffffffff)
	p.check("fcntl(0, F_DUPFD_CLOEXEC, 0xffffffff)", r, e, syscall.EINVAL, nil)
	r, e = sys(syscall.SYS_FCNTL, 0, syscall.F_DUPFD, 255)
	p.check("fcntl(0, F_DUPFD, 255)", r, e, 0, func(r uintptr) bool { return r == 255 })
	if e == 0 {
		sys(syscall.SYS_CLOSE, r)
	}
	r, e = sys(syscall.SYS_FCNTL, 0xffffffff, syscall.F_GETFD)
	p.check("fcntl(0xffffffff, F_GETFD)", r, e, syscall.EBADF, nil)
	for _, nfd := range []uintptr{0xffffffff, 0x80000000, limit} {
		r, e = sys(syscall.SYS_DUP2, 0, nfd)
		p.check(fmt.Sprintf("dup2(0, %#x)", nfd), r, e, syscall.EBADF, nil)
		r, e = sys(syscall.SYS_DUP3, 0, nfd, 0)
		p.check(fmt.Sprintf("dup3(0, %#x, 0)", nfd), r, e, syscall.EBADF, nil)
	}
	r, e = sys(syscall.SYS_DUP2, 0xffffffff, 5)
	p.check("dup2(0xffffffff, 5)", r, e, syscall.EBADF, nil)
	r, e = sys(syscall.SYS_DUP3, 0, 200, 0x1234)
	p.check("dup3(0, 200, 0x1234)", r, e, syscall.EINVAL, nil)
	for _, fd := range []uintptr{0xffffffff, 0x80000000, limit} {
		r, e = sys(syscall.SYS_CLOSE, fd)
		p.check(fmt.Sprintf("close(%#x)", fd), r, e, syscall.EBADF, nil)
	}
}

func probeSignal(p *prober) {
	pid, tid := uintptr(syscall.Getpid()), uintptr(syscall.Gettid())
	for _, sig := range []uintptr{65, 100, 0x80000000} {
		r, e := sys(syscall.SYS_KILL, 0, sig)
		p.check(fmt.Sprintf("kill(0, %#x)", sig), r, e, syscall.EINVAL, nil)
		r, e = sys(syscall.SYS_KILL, pid, sig)
		p.check(fmt.Sprintf("kill(self, %#x)", sig), r, e, syscall.EINVAL, nil)
		r, e = sys(syscall.SYS_TGKILL, pid, tid, sig)
		p.check(fmt.Sprintf("tgkill(self, tid, %#x)", sig), r, e, syscall.EINVAL, nil)
		r, e = sys(syscall.SYS_TKILL, tid, sig)
		p.check(fmt.Sprintf("tkill(tid, %#x)", sig), r, e, syscall.EINVAL, nil)
		var old [4]uint64
		r, e = sys(syscall.SYS_RT_SIGACTION, sig, 0, uintptr(unsafe.Pointer(&old)), 8)
		p.check(fmt.Sprintf("rt_sigaction(%#x, nil, &old, 8)", sig), r, e, syscall.EINVAL, nil)
	}
	r, e := sys(syscall.SYS_KILL, 0, 0)
	p.check("kill(0, 0)", r, e, 0, nil)
	r, e = sys(syscall.SYS_KILL, 0x7ffffff0, 0)
	p.check("kill(0x7ffffff0, 0)", r, e, syscall.ESRCH, nil)
	var set uint64
	r, e = sys(syscall.SYS_RT_SIGPROCMASK, 99, uintptr(unsafe.Pointer(&set)), 0, 8)
	p.check("rt_sigprocmask(99, &set, nil, 8)", r, e, syscall.EINVAL, nil)
	r, e = sys(syscall.SYS_RT_SIGPROCMASK, 0, uintptr(unsafe.Pointer(&set)), 0, 0x80000000)
	p.check("rt_sigprocmask(SIG_BLOCK, &set, nil, 0x80000000)", r, e, syscall.EINVAL, nil)
}

func probeIO(p *prober) {
	r, e := sys(syscall.SYS_READ, 2, KernelAddr, 0xffffffff)
	p.check(fmt.Sprintf("read(2, %#x, 0xffffffff)", KernelAddr), r, e, syscall.EFAULT, nil)
	r, e = sys(syscall.SYS_READ, 0, KernelAddr, 1)
	p.check(fmt.Sprintf("read(0, %#x, 1)", KernelAddr), r, e, syscall.EFAULT, nil)
	r, e = sys(syscall.SYS_WRITE, 1, KernelAddr, 10)
	p.check(fmt.Sprintf("write(1, %#x, 10)", KernelAddr), r, e, syscall.EFAULT, nil)

	buf := make([]byte, 1<<20)
	b := uintptr(unsafe.Pointer(&buf[0]))
	// A length reaching past user space is EFAULT even on a valid buffer.
	r, e = sys(syscall.SYS_READ, 0, b, 0xffffffff)
	p.check("read(0, buf, 0xffffffff)", r, e, syscall.EFAULT, nil)

	var fds [2]int32
	if _, e := sys(syscall.SYS_PIPE2, uintptr(unsafe.Pointer(&fds)), syscall.O_CLOEXEC); e != 0 {
		p.check("pipe2", 0, e, 0, nil)
		return
	}
	rfd, wfd := uintptr(fds[0]), uintptr(fds[1])
	defer sys(syscall.SYS_CLOSE, rfd)
	defer sys(syscall.SYS_CLOSE, wfd)
	// A bad buffer fails at once, before waiting on an empty pipe.
	r, e = sys(syscall.SYS_READ, rfd, KernelAddr, 10)
	p.check("read(empty pipe, kernel address, 10)", r, e, syscall.EFAULT, nil)
	r, e = sys(syscall.SYS_READ, rfd, 0x1000, 10)
	p.check("read(empty pipe, 0x1000, 10)", r, e, syscall.EFAULT, nil)
	// Huge lengths on a valid buffer: partial transfers of at most 64 KiB.
	small := func(r uintptr) bool { return r > 0 && r <= 64<<10 }
	r, e = sys(syscall.SYS_WRITE, wfd, b, uintptr(len(buf)))
	p.check("write(pipe, 1 MiB buffer, 1 MiB)", r, e, 0, small)
	r, e = sys(syscall.SYS_READ, rfd, b, 0x10000000)
	p.check("read(pipe, buf, 0x10000000)", r, e, 0, small)

	dir, err := syscall.Open("/", syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
	if err != nil {
		fmt.Fprintf(p.out, "open /: %v\n", err)
		p.wrong++
		return
	}
	defer syscall.Close(dir)
	r, e = sys(syscall.SYS_GETDENTS64, uintptr(dir), KernelAddr, 4096)
	p.check(fmt.Sprintf("getdents64(dir, %#x, 4096)", KernelAddr), r, e, syscall.EFAULT, nil)
	r, e = sys(syscall.SYS_GETDENTS64, uintptr(dir), b, 0xffffffff)
	p.check("getdents64(dir, buf, 0xffffffff)", r, e, syscall.EFAULT, nil)
	r, e = sys(syscall.SYS_GETDENTS64, uintptr(dir), b, 0x10000000)
	p.check("getdents64(dir, buf, 0x10000000)", r, e, 0, func(r uintptr) bool { return r > 0 })
}

// probeStdinAbandon leaves a goroutine blocked in read(0) and exits: the
// kernel must abandon that read, so the shell gets the next line.
func probeStdinAbandon(p *prober) {
	started := make(chan struct{})
	go func() {
		var b [64]byte
		close(started)
		n, _ := os.Stdin.Read(b[:])
		fmt.Fprintf(p.out, "sysprobe: WRONG: the dead process read %q\n", b[:n])
	}()
	<-started
	time.Sleep(200 * time.Millisecond) // let the read reach the kernel
	fmt.Fprintln(p.out, "sysprobe: exiting with a console read pending")
}

func probeTestBug(p *prober) {
	req := []byte(linux.CtlTestBug)
	var resp [256]byte
	r, e := sys(linux.SYS_gojos_ctl, uintptr(unsafe.Pointer(&req[0])), uintptr(len(req)),
		uintptr(unsafe.Pointer(&resp[0])), uintptr(len(resp)))
	fmt.Fprintf(p.out, "sysprobe: WRONG: gojos_ctl(%q) returned (%d, %v): the kernel should have killed this process\n", req, r, e)
	p.wrong++
}

// Threads is how many threads the threads probe keeps busy at once: more
// than the kernel has threads of its own.
const Threads = 100

// probeThreads runs Threads user threads busy in user mode at the same
// time: each needs a kernel thread while it runs, and the kernel has a
// fixed number of them.
func probeThreads(p *prober) {
	runtime.GOMAXPROCS(Threads)
	var wg sync.WaitGroup
	stop := time.Now().Add(2 * time.Second)
	for i := 0; i < Threads; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			for x := 0; time.Now().Before(stop); x++ {
			}
		}()
	}
	wg.Wait()
	fmt.Fprintf(p.out, "sysprobe: %d threads ran\n", Threads)
}
