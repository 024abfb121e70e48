// Package sysfuzz is the sysfuzz command, a system call fuzzer for the
// gojos kernel:
//
//	sysfuzz [-seed S] [-n N] [-from I] [-per K] [-hang D] [-v]
//
// It issues calls I … I+N-1 of seed S's sequence: random raw system calls
// (numbers 0–450, half of them among those gojos implements, plus gojos's
// own and random ones) with hostile arguments (0, -1, 0x80000000, small
// integers, kernel addresses, unmapped addresses, pointers into its own
// buffers with huge lengths, pool paths). Call i depends only on (S, i), so
// a run is reproducible and one call can be replayed: -from i -n 1 -v.
//
// The calls run in child processes (this binary re-executed), K at a time.
// A child may die of what it did (munmap of its own memory, a bad
// rt_sigreturn, exit_group, kill of itself) or hang (a read of its own
// empty pipe): that is counted, not a failure, and the next child carries
// on after the call that ended it. A child that makes no progress for D is
// killed (SIGKILL). Calls that would end more than the child are never
// issued (fork, vfork, clone, reboot) or are aimed at the child itself
// (kill, tgkill, tkill); timeouts that would wait forever become
// zero; children read an empty pipe, never the console. It ends with
// figures: calls, results (ok / errno / child killed / child exited /
// hung), the commonest errnos and signals, "kernel alive" once it has
// checked that the kernel still answers, and how many kernel bugs the
// kernel's system call guard caught meanwhile (/proc/kbugs; any is a
// failure, exit status 1). The kernel dying is the other failure: then
// nothing more is printed.
package sysfuzz

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gojos/user/internal/cmdutil"
)

// Run is the sysfuzz command.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := cmdutil.FlagSet("sysfuzz", "[-seed S] [-n N] [-from I] [-per K] [-hang D] [-v]", stderr)
	seed := flags.Int64("seed", 1, "the sequence of calls")
	n := flags.Int("n", 1000, "number of calls")
	from := flags.Int("from", 0, "index of the first call")
	per := flags.Int("per", 250, "calls per child process")
	hang := flags.Duration("hang", 3*time.Second, "kill a child that makes no progress for this long")
	verbose := flags.Bool("v", false, "print every call that ends a child, and the child's last output")
	child := flags.Bool("child", false, "internal: be a child, run calls -from to -to")
	to := flags.Int("to", 0, "internal: end of a child's calls")
	if err := cmdutil.Parse(flags, args); err != nil {
		return err
	}
	if flags.NArg() != 0 || *n < 0 || *from < 0 || *per < 1 {
		flags.Usage()
		return cmdutil.Usage
	}
	if *child {
		return runChild(*seed, *from, *to)
	}
	f := &fuzzer{seed: *seed, per: *per, hang: *hang, verbose: *verbose, out: stdout,
		argv0: argv0(args), errnos: map[syscall.Errno]int{}, signals: map[string]int{}}
	start, bugs := time.Now(), kernelBugs()
	if err := f.run(*from, *from+*n); err != nil {
		return err
	}
	f.report(*from, *n, time.Since(start))
	if err := kernelAlive(); err != nil {
		return fmt.Errorf("the kernel misbehaves after the campaign: %v", err)
	}
	fmt.Fprintln(stdout, "sysfuzz: kernel alive")
	if bugs >= 0 {
		after := kernelBugs()
		fmt.Fprintf(stdout, "sysfuzz: kernel bugs caught by the system call guard: %d\n", after-bugs)
		if after != bugs {
			return fmt.Errorf("%d calls hit a kernel bug (see the console's \"kernel bug in\" lines)", after-bugs)
		}
	}
	return nil
}

// kernelBugs reads gojos's /proc/kbugs: how many Go panics the kernel's
// system call guard has caught (-1 where there is no such file).
func kernelBugs() int {
	b, err := os.ReadFile("/proc/kbugs")
	if err != nil {
		return -1
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return -1
	}
	return n
}

// argv0 returns how this command was started (["sysfuzz"], or ["gojos",
// "sysfuzz"] for the multi-call binary's own name), to start children the
// same way.
func argv0(args []string) []string {
	if len(os.Args) >= len(args) && len(args) > 0 {
		return os.Args[:len(os.Args)-len(args)+1]
	}
	return []string{"sysfuzz"}
}

// ChildCommand makes the command of a child process; tests replace it.
var ChildCommand = func(argv0 []string, args ...string) *exec.Cmd {
	path := argv0[0]
	if !strings.Contains(path, "/") {
		if p, err := exec.LookPath(path); err == nil {
			path = p
		}
	}
	cmd := exec.Command(path, append(argv0[1:], args...)...)
	cmd.Args[0] = filepath.Base(argv0[0])
	return cmd
}

type fuzzer struct {
	seed     int64
	per      int
	hang     time.Duration
	verbose  bool
	out      io.Writer
	argv0    []string
	children int

	ok, failed, killed, exited, hung, late int
	errnos                                 map[syscall.Errno]int
	signals                                map[string]int
}

// How a child ended.
type ending struct {
	last   int  // index of the last call it reported
	hung   bool // killed by the watchdog
	status syscall.WaitStatus
	tail   string // its last output
}

func (f *fuzzer) run(from, end int) error {
	next, failures := from, 0
	progress := from
	for next < end {
		if end-from >= 5000 && next-progress >= 2500 {
			fmt.Fprintf(f.out, "sysfuzz: %d/%d calls\n", next-from, end-from)
			progress = next
		}
		stop := min(next+f.per, end)
		e, err := f.child(next, stop)
		if err != nil {
			return err
		}
		if e.last < next-1 { // no ready record: the child never started calling
			if failures++; failures == 3 {
				return fmt.Errorf("children die before their first call: %s; last output: %s", describe(e), e.tail)
			}
			continue
		}
		failures = 0
		if e.last+1 >= stop {
			if !e.status.Exited() || e.status.ExitStatus() != 0 {
				f.late++ // died after its last call
			}
			next = stop
			continue
		}
		// Call e.last+1 ended the child.
		switch {
		case e.hung:
			f.hung++
		case e.status.Signaled():
			f.killed++
			f.signals[signalName(e.status.Signal())]++
		default:
			f.exited++
		}
		if f.verbose {
			fmt.Fprintf(f.out, "sysfuzz: %v: child %s\n", Generate(f.seed, e.last+1), describe(e))
			if e.tail != "" {
				fmt.Fprintf(f.out, "sysfuzz:   its last output: %s\n", strings.ReplaceAll(strings.TrimSpace(e.tail), "\n", "\n    "))
			}
		}
		next = e.last + 2
	}
	return nil
}

func describe(e ending) string {
	switch {
	case e.hung:
		return "hung (killed after no progress)"
	case e.status.Signaled():
		return "killed by " + signalName(e.status.Signal())
	}
	return fmt.Sprintf("exited with status %d", e.status.ExitStatus())
}

func signalName(s syscall.Signal) string {
	if n, ok := map[syscall.Signal]string{
		syscall.SIGSEGV: "SIGSEGV", syscall.SIGKILL: "SIGKILL", syscall.SIGILL: "SIGILL",
		syscall.SIGBUS: "SIGBUS", syscall.SIGFPE: "SIGFPE", syscall.SIGTRAP: "SIGTRAP",
		syscall.SIGABRT: "SIGABRT", syscall.SIGTERM: "SIGTERM", syscall.SIGSYS: "SIGSYS",
		syscall.SIGHUP: "SIGHUP", syscall.SIGINT: "SIGINT", syscall.SIGQUIT: "SIGQUIT",
		syscall.SIGUSR1: "SIGUSR1", syscall.SIGUSR2: "SIGUSR2", syscall.SIGPIPE: "SIGPIPE",
		syscall.SIGALRM: "SIGALRM", syscall.SIGSTOP: "SIGSTOP", syscall.SIGSTKFLT: "SIGSTKFLT",
	}[s]; ok {
		return n
	}
	return "signal " + strconv.Itoa(int(s))
}

// child runs calls [from, to) in a child process and says how it ended.
func (f *fuzzer) child(from, to int) (ending, error) {
	f.children++
	e := ending{last: from - 2}
	cmd := ChildCommand(f.argv0, "-child", "-seed", strconv.FormatInt(f.seed, 10),
		"-from", strconv.Itoa(from), "-to", strconv.Itoa(to))
	pr, pw, err := os.Pipe()
	if err != nil {
		return e, err
	}
	defer pr.Close()
	// Standard input: an empty pipe (end of file at once), so no child
	// ever waits for the console.
	in, inw, err := os.Pipe()
	if err != nil {
		pw.Close()
		return e, err
	}
	inw.Close()
	tail := &tailWriter{max: 1024}
	cmd.Stdin, cmd.Stdout, cmd.Stderr, cmd.ExtraFiles = in, tail, tail, []*os.File{pw}
	err = cmd.Start()
	pw.Close()
	in.Close()
	if err != nil {
		return e, fmt.Errorf("starting a child: %v", err)
	}
	recs := make(chan [recordSize]byte, 64)
	go func() {
		defer close(recs)
		for {
			var rec [recordSize]byte
			if _, err := io.ReadFull(pr, rec[:]); err != nil {
				return
			}
			recs <- rec
		}
	}()
	watchdog := time.NewTimer(f.hang)
	defer watchdog.Stop()
	killed := false
	for done := false; !done; {
		select {
		case rec, ok := <-recs:
			if !ok {
				done = true
				break
			}
			i, r, en := le(rec[0:]), le(rec[4:]), syscall.Errno(le(rec[8:]))
			if i == readyIndex {
				e.last = from - 1
			} else if int(i) != e.last+1 {
				cmd.Process.Kill()
				return e, fmt.Errorf("child reported call %d after %d", i, e.last)
			} else {
				e.last = int(i)
				f.count(r, en)
			}
			watchdog.Reset(f.hang)
		case <-watchdog.C:
			if killed {
				return e, fmt.Errorf("child pid %d still alive %v after SIGKILL (after %v)",
					cmd.Process.Pid, f.hang, Generate(f.seed, e.last+1))
			}
			e.hung, killed = true, true
			cmd.Process.Kill()
			watchdog.Reset(max(f.hang, 10*time.Second))
		}
	}
	if err := cmd.Wait(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			return e, fmt.Errorf("waiting for a child: %v", err)
		}
	}
	e.status = cmd.ProcessState.Sys().(syscall.WaitStatus)
	e.tail = tail.String()
	return e, nil
}

func le(b []byte) uint32 { return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24 }

func (f *fuzzer) count(r uint32, e syscall.Errno) {
	if e != 0 {
		f.failed++
		f.errnos[e]++
		return
	}
	f.ok++
}

func (f *fuzzer) report(from, n int, took time.Duration) {
	fmt.Fprintf(f.out, "sysfuzz: seed %d: %d calls (#%d-#%d) in %d children, %.1f s\n",
		f.seed, n, from, from+n-1, f.children, took.Seconds())
	fmt.Fprintf(f.out, "sysfuzz: ok %d, errno %d, child killed %d, child exited %d, hung %d (deaths after a child's last call: %d)\n",
		f.ok, f.failed, f.killed, f.exited, f.hung, f.late)
	type kv struct {
		k string
		v int
	}
	top := func(m map[string]int, k int) string {
		var s []kv
		for name, v := range m {
			s = append(s, kv{name, v})
		}
		sort.Slice(s, func(i, j int) bool { return s[i].v > s[j].v || s[i].v == s[j].v && s[i].k < s[j].k })
		var parts []string
		for i, x := range s {
			if i == k {
				break
			}
			parts = append(parts, fmt.Sprintf("%s %d", x.k, x.v))
		}
		if len(parts) == 0 {
			return "none"
		}
		return strings.Join(parts, ", ")
	}
	en := map[string]int{}
	for e, v := range f.errnos {
		en[errnoName(e)] = v
	}
	fmt.Fprintf(f.out, "sysfuzz: errnos: %s\n", top(en, 8))
	fmt.Fprintf(f.out, "sysfuzz: signals: %s\n", top(f.signals, 8))
}

func errnoName(e syscall.Errno) string {
	if n, ok := map[syscall.Errno]string{
		syscall.EPERM: "EPERM", syscall.ENOENT: "ENOENT", syscall.ESRCH: "ESRCH",
		syscall.EINTR: "EINTR", syscall.EBADF: "EBADF", syscall.ECHILD: "ECHILD",
		syscall.EAGAIN: "EAGAIN", syscall.ENOMEM: "ENOMEM", syscall.EACCES: "EACCES",
		syscall.EFAULT: "EFAULT", syscall.EEXIST: "EEXIST", syscall.ENOTDIR: "ENOTDIR",
		syscall.EISDIR: "EISDIR", syscall.EINVAL: "EINVAL", syscall.EMFILE: "EMFILE",
		syscall.ENOTTY: "ENOTTY", syscall.ESPIPE: "ESPIPE", syscall.EROFS: "EROFS",
		syscall.EPIPE: "EPIPE", syscall.ERANGE: "ERANGE", syscall.ENOSYS: "ENOSYS",
		syscall.ENOEXEC: "ENOEXEC", syscall.E2BIG: "E2BIG", syscall.ENODEV: "ENODEV",
		syscall.ETIMEDOUT: "ETIMEDOUT", syscall.EBUSY: "EBUSY", syscall.ENOTSUP: "ENOTSUP",
	}[e]; ok {
		return n
	}
	return "errno " + strconv.Itoa(int(e))
}

// kernelAlive checks that the kernel still answers ordinary calls after
// the campaign (children have been started and reaped throughout it).
func kernelAlive() error {
	var p [2]int
	if err := syscall.Pipe(p[:]); err != nil {
		return fmt.Errorf("pipe: %v", err)
	}
	defer syscall.Close(p[0])
	defer syscall.Close(p[1])
	if _, err := syscall.Write(p[1], []byte("ping")); err != nil {
		return fmt.Errorf("write: %v", err)
	}
	b := make([]byte, 8)
	if n, err := syscall.Read(p[0], b); err != nil || string(b[:n]) != "ping" {
		return fmt.Errorf("read = %q, %v", b[:n], err)
	}
	if _, err := os.Stat("/"); err != nil {
		return err
	}
	return nil
}

// tailWriter keeps the last max bytes written to it.
type tailWriter struct {
	max int
	b   []byte
}

func (t *tailWriter) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append(t.b[:0], t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailWriter) String() string { return string(t.b) }
