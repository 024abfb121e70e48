package sysprobe

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"syscall"
	"unsafe"

	"gojos/kern/abi/linux"
	"gojos/user/internal/kctl"
)

// The gojos-only probes (i386 system call numbers; not for a Linux host):
//
//	creds  the user and group ID calls with Linux's rules, and the kernel's
//	       refusals of unprivileged module, reboot and kill calls. Started as
//	       root it drops root step by step (and for good: give it last);
//	       started as another user it checks that nothing lets it become root.
//	kptr   /proc/kallsyms, /proc/modules and ksyms show kernel addresses to
//	       root only (zeros to everyone else)

const none = ^uintptr(0) // -1: "leave this ID unchanged"

// ids reads getresuid32 (or getresgid32).
func ids(nr uintptr) [3]uint32 {
	var v [3]uint32
	sys(nr, uintptr(unsafe.Pointer(&v[0])), uintptr(unsafe.Pointer(&v[1])), uintptr(unsafe.Pointer(&v[2])))
	return v
}

// checkIDs prints one getres*id result against the expected IDs.
func (p *prober) checkIDs(call string, got, want [3]uint32) {
	verdict := "ok"
	if got != want {
		verdict = "WRONG"
		p.wrong++
	}
	fmt.Fprintf(p.out, "%s = %d,%d,%d (want %d,%d,%d) %s\n", call, got[0], got[1], got[2], want[0], want[1], want[2], verdict)
}

func probeCreds(p *prober) {
	if os.Geteuid() == 0 {
		probeRootCreds(p)
	}
	probeUserCreds(p)
}

// probeRootCreds goes from root to uid 1000, gid 1000, groups 100 and 1000,
// through the states Linux's rules allow.
func probeRootCreds(p *prober) {
	p.checkIDs("getresuid()", ids(linux.SYS_getresuid32), [3]uint32{0, 0, 0})
	groups := []uint32{1000, 100}
	r, e := sys(linux.SYS_setgroups32, 2, uintptr(unsafe.Pointer(&groups[0])))
	p.check("setgroups(2, [1000 100])", r, e, 0, nil)
	got := make([]uint32, 4)
	r, e = sys(linux.SYS_getgroups32, 4, uintptr(unsafe.Pointer(&got[0])))
	p.check("getgroups(4, list)", r, e, 0, func(r uintptr) bool { return r == 2 && got[0] == 100 && got[1] == 1000 })
	r, e = sys(linux.SYS_getgroups32, 1, uintptr(unsafe.Pointer(&got[0])))
	p.check("getgroups(1, list)", r, e, syscall.EINVAL, nil)
	r, e = sys(linux.SYS_setresgid32, 1000, 1000, 1000)
	p.check("setresgid(1000, 1000, 1000)", r, e, 0, nil)
	p.checkIDs("getresgid()", ids(linux.SYS_getresgid32), [3]uint32{1000, 1000, 1000})
	r, e = sys(linux.SYS_setresuid32, 1000, 1000, 0)
	p.check("setresuid(1000, 1000, 0)", r, e, 0, nil)
	p.checkIDs("getresuid()", ids(linux.SYS_getresuid32), [3]uint32{1000, 1000, 0})
	r, e = sys(linux.SYS_setgroups32, 0, 0)
	p.check("setgroups(0, nil) with euid 1000", r, e, syscall.EPERM, nil)
	r, e = sys(linux.SYS_setuid32, 2000)
	p.check("setuid(2000) with euid 1000", r, e, syscall.EPERM, nil)
	r, e = sys(linux.SYS_setreuid32, none, 0)
	p.check("setreuid(-1, 0): back to the saved root", r, e, 0, nil)
	p.checkIDs("getresuid()", ids(linux.SYS_getresuid32), [3]uint32{1000, 0, 0})
	r, e = sys(linux.SYS_setuid32, 1000)
	p.check("setuid(1000) with euid 0", r, e, 0, nil)
	p.checkIDs("getresuid()", ids(linux.SYS_getresuid32), [3]uint32{1000, 1000, 1000})
	r, e = sys(linux.SYS_getuid)
	p.check("getuid() (16-bit)", r, e, 0, func(r uintptr) bool { return r == 1000 })
	r, e = sys(linux.SYS_setfsuid32, 0)
	p.check("setfsuid(0)", r, e, 0, func(r uintptr) bool { return r == 1000 })
	status, _ := os.ReadFile("/proc/self/status")
	p.check("/proc/self/status has Uid: 1000 x4", 0, 0, 0, func(uintptr) bool {
		return strings.Contains(string(status), "Uid:\t1000\t1000\t1000\t1000\n") &&
			strings.Contains(string(status), "Groups:\t100 1000\n")
	})
}

// probeUserCreds: an unprivileged process cannot become root, load or
// remove modules, halt, or signal root's processes.
func probeUserCreds(p *prober) {
	u := ids(linux.SYS_getresuid32)
	p.check("getresuid() has no 0", 0, 0, 0, func(uintptr) bool { return u[0] != 0 && u[1] != 0 && u[2] != 0 })
	r, e := sys(linux.SYS_setuid32, 0)
	p.check("setuid(0)", r, e, syscall.EPERM, nil)
	r, e = sys(linux.SYS_setuid, 0xFFFF)
	p.check("setuid16(-1)", r, e, syscall.EINVAL, nil)
	r, e = sys(linux.SYS_setreuid32, 0, none)
	p.check("setreuid(0, -1)", r, e, syscall.EPERM, nil)
	r, e = sys(linux.SYS_setresuid32, none, 0, none)
	p.check("setresuid(-1, 0, -1)", r, e, syscall.EPERM, nil)
	r, e = sys(linux.SYS_setresuid32, none, none, none)
	p.check("setresuid(-1, -1, -1)", r, e, 0, nil)
	r, e = sys(linux.SYS_setgid32, 0)
	p.check("setgid(0)", r, e, syscall.EPERM, nil)
	g := uint32(0)
	r, e = sys(linux.SYS_setgroups32, 1, uintptr(unsafe.Pointer(&g)))
	p.check("setgroups(1, [0])", r, e, syscall.EPERM, nil)
	r, e = sys(syscall.SYS_KILL, 1, 0)
	p.check("kill(1, 0): init is root's", r, e, syscall.EPERM, nil)
	var lim [2]uint64
	r, e = sys(linux.SYS_prlimit64, 1, linux.RLIMIT_NOFILE, 0, uintptr(unsafe.Pointer(&lim[0])))
	p.check("prlimit64(1, RLIMIT_NOFILE): init's limits", r, e, syscall.EPERM, nil)
	r, e = sys(linux.SYS_prlimit64, 0, linux.RLIMIT_NOFILE, 0, uintptr(unsafe.Pointer(&lim[0])))
	p.check("prlimit64(0, RLIMIT_NOFILE): its own", r, e, 0, nil)
	const core = 4 // RLIMIT_CORE: no effect on this process
	lowered := [2]uint64{0, 4096}
	r, e = sys(linux.SYS_prlimit64, 0, core, uintptr(unsafe.Pointer(&lowered[0])), 0)
	p.check("prlimit64(0, RLIMIT_CORE, {0, 4096}): lowering", r, e, 0, nil)
	raised := [2]uint64{0, 8192}
	r, e = sys(linux.SYS_prlimit64, 0, core, uintptr(unsafe.Pointer(&raised[0])), 0)
	p.check("prlimit64(0, RLIMIT_CORE, {0, 8192}): raising the hard limit", r, e, syscall.EPERM, nil)
	img := []byte("\x7fELF")
	params := []byte{0}
	r, e = sys(linux.SYS_init_module, uintptr(unsafe.Pointer(&img[0])), uintptr(len(img)), uintptr(unsafe.Pointer(&params[0])))
	p.check("init_module(image, 4, \"\")", r, e, syscall.EPERM, nil)
	r, e = sys(linux.SYS_finit_module, 0, uintptr(unsafe.Pointer(&params[0])), 0)
	p.check("finit_module(0, \"\", 0)", r, e, syscall.EPERM, nil)
	name := []byte("test\x00")
	r, e = sys(linux.SYS_delete_module, uintptr(unsafe.Pointer(&name[0])), linux.O_NONBLOCK_MODULE)
	p.check("delete_module(\"test\", O_NONBLOCK)", r, e, syscall.EPERM, nil)
	r, e = sys(linux.SYS_reboot, 0xfee1dead, 672274793, 0x4321fedc)
	p.check("reboot(POWER_OFF)", r, e, syscall.EPERM, nil)
	for _, req := range []string{"kcall kpatch_test1", "kpatch kpatch_test1 kpatch_test2", "kpatch -u kpatch_test1", "testbug", "ksyms 0xc0100000"} {
		_, err := kctl.Ctl(req)
		var errno syscall.Errno
		if ke, ok := err.(*kctl.Error); ok {
			errno = ke.Errno
		}
		p.check(fmt.Sprintf("gojos_ctl(%q)", req), 0, errno, syscall.EPERM, nil)
	}
}

// probeKptr counts the nonzero addresses a process sees: some for root,
// none for anyone else.
func probeKptr(p *prober) {
	root := os.Geteuid() == 0
	want := "none"
	if root {
		want = "some"
	}
	judge := func(what string, n, shown int) {
		verdict := "ok"
		if n == 0 || (shown > 0) != root {
			verdict = "WRONG"
			p.wrong++
		}
		fmt.Fprintf(p.out, "%s: %d addresses, %d shown (want %s) %s\n", what, n, shown, want, verdict)
	}
	count := func(file string, field func([]string) string) (n, shown int) {
		f, err := os.Open(file)
		if err != nil {
			fmt.Fprintf(p.out, "%s: %v\n", file, err)
			return 0, 0
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if a := field(strings.Fields(sc.Text())); a != "" {
				n++
				if strings.Trim(strings.TrimPrefix(a, "0x"), "0") != "" {
					shown++
				}
			}
		}
		return n, shown
	}
	n, shown := count("/proc/kallsyms", func(f []string) string {
		if len(f) > 0 {
			return f[0]
		}
		return ""
	})
	judge("/proc/kallsyms", n, shown)
	n, shown = count("/proc/modules", func(f []string) string {
		if len(f) > 5 {
			return f[5]
		}
		return ""
	})
	judge("/proc/modules", n, shown)
	resp, err := kctl.Ctl("ksyms kpatch_test1")
	n, shown = 0, 0
	if f := strings.Fields(resp); err == nil && len(f) > 0 {
		n = 1
		if strings.Trim(strings.TrimPrefix(f[0], "0x"), "0") != "" {
			shown = 1
		}
	}
	judge("ksyms kpatch_test1", n, shown)
}
