package console

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"gojos/tools/console/internal/fakeqemu"
)

func TestMain(m *testing.M) {
	fakeqemu.MaybeRun()
	os.Exit(m.Run())
}

// fake starts this test binary as a fake QEMU running steps.
func fake(t *testing.T, cfg Config, steps ...string) *Session {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cfg.QEMU = exe
	if cfg.Args == nil {
		cfg.Args = []string{}
	}
	cfg.Env = append(cfg.Env, fakeqemu.Env(steps...))
	s, err := Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestExpectSubmatchesAndTranscript(t *testing.T) {
	s := fake(t, Config{}, `out:SeaBIOS\r\n`, "sleep:50ms", `out:gojos 0.1 (i386)\r\n`, "sleep:50ms", "out:$ ", "hang")
	m, err := s.Expect(`gojos (\S+) \((\w+)\)`, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 3 || m[1] != "0.1" || m[2] != "i386" {
		t.Errorf("match = %q", m)
	}
	if _, err := s.Expect(`\$ `, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if got, want := s.Transcript(), "SeaBIOS\r\ngojos 0.1 (i386)\r\n$ "; got != want {
		t.Errorf("transcript = %q, want %q", got, want)
	}
}

func TestExpectSearchesAfterLastMatch(t *testing.T) {
	s := fake(t, Config{Timeout: 200 * time.Millisecond}, "out:a1 a2 b", "hang")
	for _, want := range []string{"a1", "a2"} {
		m, err := s.Expect(`a\d`, 0)
		if err != nil {
			t.Fatal(err)
		}
		if m[0] != want {
			t.Errorf("got %q, want %q", m[0], want)
		}
	}
	start := time.Now()
	_, err := s.Expect(`a\d`, 0)
	if err == nil {
		t.Fatal("third match of a\\d succeeded")
	}
	if d := time.Since(start); d < 150*time.Millisecond || d > 3*time.Second {
		t.Errorf("timeout took %v, want about 200ms", d)
	}
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("error %T is not *Error", err)
	}
	msg := err.Error()
	for _, want := range []string{"timed out after 200ms", "a1 a2<<<expect searched from here>>> b", "----- end of transcript -----"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
}

func TestSendAndGuestExit(t *testing.T) {
	s := fake(t, Config{}, `out:ready\r\n`, "echo")
	if _, err := s.Expect("ready", 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := s.Send("hello world"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Expect(`echo:hello world\r\n`, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := s.Send("quit 0"); err != nil {
		t.Fatal(err)
	}
	if err := s.ExpectGuestExit(0, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := s.Send("late"); err == nil || !strings.Contains(err.Error(), "QEMU ended") {
		t.Errorf("Send after exit: %v", err)
	}
}

func TestLineEnding(t *testing.T) {
	s := fake(t, Config{LineEnding: "\r\n"}, "echo")
	if err := s.Send("ls"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Expect(`echo:ls\r\r\n`, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := s.SendRaw("x\x03\n"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Expect("echo:x\x03\r\n", 5*time.Second); err != nil {
		t.Fatal(err)
	}
}

func TestExitStatus(t *testing.T) {
	s := fake(t, Config{}, "guest:3")
	code, err := s.ExpectExit(5 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if code != 7 {
		t.Errorf("exit status %d, want 7", code)
	}
	if st, ok := GuestStatus(code); !ok || st != 3 {
		t.Errorf("GuestStatus(%d) = %d, %v", code, st, ok)
	}
	err = s.ExpectGuestExit(0, time.Second)
	if err == nil || !strings.Contains(err.Error(), "guest wrote 3") {
		t.Errorf("ExpectGuestExit(0) = %v", err)
	}
}

func TestExitBeforeMatch(t *testing.T) {
	s := fake(t, Config{}, "out:panic: oops\n", "exit:0")
	start := time.Now()
	_, err := s.Expect("never", 20*time.Second)
	if err == nil || !strings.Contains(err.Error(), "QEMU ended") || !strings.Contains(err.Error(), "panic: oops") {
		t.Fatalf("Expect = %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("Expect noticed the exit only after %v", d)
	}
}

func TestExpectExitTimeout(t *testing.T) {
	s := fake(t, Config{}, "hang")
	if _, err := s.ExpectExit(100 * time.Millisecond); err == nil || !strings.Contains(err.Error(), "still running") {
		t.Errorf("ExpectExit = %v", err)
	}
}

func TestQEMUFailureIsNotGuestSuccess(t *testing.T) {
	s := fake(t, Config{}, `err:qemu-system-i386: -drive file=x: Could not open 'x'\n`, "exit:1")
	err := s.ExpectGuestExit(0, 5*time.Second)
	if err == nil || !strings.Contains(err.Error(), "Could not open") {
		t.Errorf("ExpectGuestExit = %v", err)
	}
	s = fake(t, Config{}, `err:qemu-system-i386: warning: host doesn't support feature\n`, "guest:0")
	if err := s.ExpectGuestExit(0, 5*time.Second); err != nil {
		t.Errorf("a warning made guest success fail: %v", err)
	}
}

func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// Field 3 is the state; a zombie is dead already.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	return len(f) > 0 && f[0] != "Z" && f[0] != "X"
}

func TestCloseKillsProcessGroup(t *testing.T) {
	s := fake(t, Config{}, "child", "hang")
	m, err := s.Expect(`child:(\d+)`, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	child, _ := strconv.Atoi(m[1])
	qemu := s.cmd.Process.Pid
	if !alive(child) || !alive(qemu) {
		t.Fatal("fake QEMU or its child is not running")
	}
	done := make(chan struct{})
	go func() { s.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close hangs")
	}
	deadline := time.Now().Add(5 * time.Second)
	for alive(child) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if alive(child) || alive(qemu) {
		t.Errorf("processes left running: qemu %v, child %v", alive(qemu), alive(child))
	}
}

func TestContextCancelKills(t *testing.T) {
	exe, _ := os.Executable()
	ctx, cancel := context.WithCancel(context.Background())
	s, err := Start(ctx, Config{QEMU: exe, Args: []string{}, Env: []string{fakeqemu.Env("hang")}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cancel()
	if _, err := s.ExpectExit(5 * time.Second); err == nil || !strings.Contains(err.Error(), "signal") {
		t.Errorf("ExpectExit after cancel = %v", err)
	}
}

func TestStartErrors(t *testing.T) {
	img := t.TempDir() + "/jos.img"
	if err := os.WriteFile(img, make([]byte, 512), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{QEMU: "/nonexistent/qemu-system-i386", Image: img}, "README"},
		{Config{QEMU: "no-such-qemu-on-path", Image: img}, "README"},
		{Config{Image: img + ".missing"}, "bazel build //:image"},
		{Config{}, "no disk image"},
	} {
		_, err := Start(context.Background(), tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Start(%+v) = %v, want error containing %q", tc.cfg, err, tc.want)
		}
	}
}

func TestFakeSeesSessionArgs(t *testing.T) {
	img := t.TempDir() + "/a,b.img"
	if err := os.WriteFile(img, make([]byte, 512), 0o644); err != nil {
		t.Fatal(err)
	}
	exe, _ := os.Executable()
	lean := SessionArgs(img, "", []string{"-smp", "2"})
	// QEMU's default PC: the same arguments without LeanArgs.
	pc := strings.Replace(strings.Join(lean, " "), " "+strings.Join(LeanArgs, " "), "", 1)
	for _, tc := range []struct {
		defaults bool
		want     string
	}{{false, strings.Join(lean, " ")}, {true, pc}} {
		s, err := Start(context.Background(), Config{QEMU: exe, Image: img, ExtraArgs: []string{"-smp", "2"},
			DefaultDevices: tc.defaults, Env: []string{fakeqemu.Env("args")}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ExpectExit(5 * time.Second); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range strings.Split(s.Transcript(), "\r\n") {
			if a, ok := strings.CutPrefix(l, "arg:"); ok {
				got = append(got, a)
			}
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("DefaultDevices %v: QEMU got %q, want %q", tc.defaults, got, tc.want)
		}
		if s.Command()[0] != exe {
			t.Errorf("Command()[0] = %q", s.Command()[0])
		}
		s.Close()
	}
	if strings.Contains(pc, "-vga") || strings.Contains(pc, "-nic") {
		t.Errorf("default PC arguments %q name a device option", pc)
	}
}

func TestSessionArgs(t *testing.T) {
	got := QuoteCommand(SessionArgs("/x/a,b.img", "", nil))
	want := "-m 256M -drive file=/x/a,,b.img,format=raw,snapshot=on -device isa-debug-exit,iobase=0xf4,iosize=0x04 " +
		"-no-reboot -vga none -nic none -display none -serial stdio -monitor none"
	if got != want {
		t.Errorf("SessionArgs:\n got %s\nwant %s", got, want)
	}
}

func TestGuestStatus(t *testing.T) {
	for _, tc := range []struct {
		code, status int
		ok           bool
	}{{0, 0, false}, {1, 0, true}, {3, 1, true}, {2, 0, false}, {255, 127, true}, {-1, 0, false}} {
		st, ok := GuestStatus(tc.code)
		if st != tc.status || ok != tc.ok {
			t.Errorf("GuestStatus(%d) = %d, %v; want %d, %v", tc.code, st, ok, tc.status, tc.ok)
		}
	}
}

func TestPrintable(t *testing.T) {
	if got, want := Printable("a\r\nb\rc\x1b[0m\td\n"), `a`+"\n"+`b\x0dc\x1b[0m`+"\t"+"d\n"; got != want {
		t.Errorf("Printable = %q, want %q", got, want)
	}
}
