package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"gojos/tools/console"
)

// options are the runner's parsed flags.
type options struct {
	qemu   string   // emulator, path or name on PATH
	image  string   // raw disk image (rootpath under bazel run)
	kernel string   // kernel ELF with symbols, for --gdb
	memory string   // QEMU -m
	gdb    bool     // wait for gdb on :1234
	dryRun bool     // print the command instead of running it
	extra  []string // passed to QEMU verbatim
}

// exitError asks main to exit with code after printing msg (if any).
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// qemuArgs builds QEMU's argument list. COM1 shares the terminal with the
// QEMU monitor (-serial mon:stdio): Ctrl-A X quits, Ctrl-A C switches
// between the guest console and the monitor, Ctrl-A H lists the keys.
func qemuArgs(o options) []string {
	args := console.MachineArgs(o.image, o.memory)
	args = append(args, "-display", "none", "-serial", "mon:stdio")
	if o.gdb {
		args = append(args, "-s", "-S")
	}
	return append(args, o.extra...)
}

// gdbHint tells the user how to attach gdb to the waiting QEMU.
func gdbHint(kernel string) string {
	return "QEMU is stopped before the first instruction, waiting for gdb on localhost:1234.\n" +
		"Attach from another terminal with:\n" +
		"  gdb " + shellQuote(kernel) + " -ex 'target remote localhost:1234'\n"
}

func shellQuote(s string) string { return console.QuoteCommand([]string{s}) }

// mapExit turns QEMU's exit status into the runner's: a guest that wrote 0
// to the debug-exit port (QEMU status 1) is success (0); a guest that wrote
// v > 0 (QEMU status 2v+1) gives v; other statuses pass through. The note
// says what happened.
func mapExit(code int) (int, string) {
	if st, ok := console.GuestStatus(code); ok {
		if st == 0 {
			return 0, "qemu: guest reported success (debug-exit 0; QEMU exit status 1)"
		}
		return st, fmt.Sprintf("qemu: guest reported failure status %d (debug-exit %d; QEMU exit status %d)", st, st, code)
	}
	if code == 0 {
		return 0, "qemu: QEMU ended without a guest status (quit, power-off, or a reset/triple fault under -no-reboot;" +
			" add -- -d int,cpu_reset -D qemu.log to see why)"
	}
	return code, fmt.Sprintf("qemu: QEMU failed with exit status %d", code)
}

// resolve finds a file named by a flag (console.ResolveFile).
func resolve(what, p string, getenv func(string) string) (string, error) {
	return console.ResolveFile(what, p, getenv)
}

// run starts QEMU on the terminal and maps its exit status.
func run(o options, getenv func(string) string, stdout, stderr io.Writer) error {
	if o.image == "" {
		return errors.New("--image is required")
	}
	var err error
	if o.image, err = resolve("disk image", o.image, getenv); err != nil {
		return err
	}
	if o.kernel, err = resolve("kernel ELF", o.kernel, getenv); err != nil {
		return err
	}
	if o.gdb && o.kernel == "" {
		return errors.New("--gdb needs --kernel (the kernel ELF with symbols)")
	}
	path, err := exec.LookPath(o.qemu)
	if err != nil {
		return fmt.Errorf("QEMU %q not found: %v\nRun the setup command from README.md (it installs qemu-system-x86), or pass --qemu=/path/to/qemu-system-i386", o.qemu, err)
	}
	args := qemuArgs(o)
	if o.dryRun {
		fmt.Fprintln(stdout, console.QuoteCommand(append([]string{path}, args...)))
		return nil
	}
	fmt.Fprintf(stderr, "qemu: %s\nqemu: serial console on this terminal; Ctrl-A X quits, Ctrl-A C toggles the QEMU monitor\n",
		console.QuoteCommand(append([]string{path}, args...)))
	if o.gdb {
		fmt.Fprint(stderr, gdbHint(o.kernel))
	}

	cmd := exec.Command(path, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	// Relative paths after -- (say -D qemu.log) land where bazel run was
	// invoked, not in the runfiles tree.
	cmd.Dir = getenv("BUILD_WORKING_DIRECTORY")
	// QEMU shares our terminal and process group: a Ctrl-C that reaches us
	// reaches QEMU too, so just outlive it; pass SIGTERM on.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() {
		for s := range sigs {
			if s != os.Interrupt {
				cmd.Process.Signal(s)
			}
		}
	}()
	err = cmd.Wait()
	code := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			return err
		}
		code = ee.ExitCode()
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return &exitError{128 + int(ws.Signal()), fmt.Sprintf("qemu: QEMU killed by %v", ws.Signal())}
		}
	}
	c, note := mapExit(code)
	return &exitError{c, note}
}
