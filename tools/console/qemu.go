package console

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// DefaultQEMU is the emulator looked up on PATH when none is configured.
const DefaultQEMU = "qemu-system-i386"

// DefaultMemory is the guest RAM size used when none is configured.
const DefaultMemory = "256M"

// DebugExitDevice is the isa-debug-exit device every gojos QEMU gets: a guest
// write of v to port 0xf4 ends QEMU with exit status (v<<1)|1.
const DebugExitDevice = "isa-debug-exit,iobase=0xf4,iosize=0x04"

// MachineArgs returns the QEMU arguments that describe the gojos machine: RAM,
// the raw disk image (snapshot=on, so the image file is never written), the
// debug-exit device, -no-reboot (a triple fault ends QEMU instead of
// looping through the BIOS) and none of the PC's default devices that gojos
// has no driver for (LeanArgs). Callers add the console and display options.
func MachineArgs(image, memory string) []string {
	return append(pcArgs(image, memory), LeanArgs...)
}

// LeanArgs leave out two devices of QEMU's default PC: the VGA adapter and
// the network card. gojos's console is the serial port and it has no network
// driver, and without them the firmware runs neither the VGA BIOS nor the
// network card's boot ROM: a boot reaches the loader about 50 ms sooner
// under TCG (docs/design.md, "What a boot translates").
var LeanArgs = []string{"-vga", "none", "-nic", "none"}

// pcArgs is MachineArgs on QEMU's default PC, all its devices included.
func pcArgs(image, memory string) []string {
	if memory == "" {
		memory = DefaultMemory
	}
	return []string{
		"-m", memory,
		"-drive", "file=" + escapeOpt(image) + ",format=raw,snapshot=on",
		"-device", DebugExitDevice,
		"-no-reboot",
	}
}

// escapeOpt escapes a value for a QEMU "key=value,..." option list, where a
// literal comma is written twice.
func escapeOpt(s string) string {
	return strings.ReplaceAll(s, ",", ",,")
}

// SessionArgs returns the full QEMU argument list used by Start: the machine,
// the serial port on QEMU's stdin/stdout, no display and no monitor, then
// extra.
func SessionArgs(image, memory string, extra []string) []string {
	return sessionArgs(MachineArgs(image, memory), extra)
}

func sessionArgs(machine, extra []string) []string {
	args := append(machine, "-display", "none", "-serial", "stdio", "-monitor", "none")
	return append(args, extra...)
}

// GuestStatus interprets a QEMU exit status. If the guest ended QEMU through
// isa-debug-exit, it returns the value the guest wrote (0 means success) and
// true. Exit status 1 is ambiguous: it is also what QEMU returns when it fails
// to start, so callers should check QEMU's stderr or that the guest printed
// something first.
func GuestStatus(code int) (status int, ok bool) {
	if code > 0 && code&1 == 1 {
		return code >> 1, true
	}
	return 0, false
}

// DescribeExit explains a raw QEMU exit status in words.
func DescribeExit(code int) string {
	if code < 0 {
		return "QEMU was killed by a signal"
	}
	if st, ok := GuestStatus(code); ok {
		if st == 0 {
			return fmt.Sprintf("exit status %d: guest wrote 0 to the debug-exit port (success)", code)
		}
		return fmt.Sprintf("exit status %d: guest wrote %d to the debug-exit port (failure)", code, st)
	}
	if code == 0 {
		return "exit status 0: QEMU ended without a guest status (power-off, monitor quit, or a reset/triple fault under -no-reboot)"
	}
	return fmt.Sprintf("exit status %d: QEMU error", code)
}

// QuoteCommand renders a command line for copying into a shell.
func QuoteCommand(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = shellQuote(a)
	}
	return strings.Join(q, " ")
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=+,./:@%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Printable makes a transcript readable in a log: CRLF becomes LF and other
// control bytes (except tab) are shown as \xNN.
func Printable(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\n' || c == '\t' || c >= 0x20 && c != 0x7f:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, `\x%02x`, c)
		}
	}
	return b.String()
}

// ResolveFile finds a file named by a flag. Relative paths are tried against the
// current directory (the runfiles tree under `bazel run`), the runfiles
// directories, the directory bazel run was invoked from and the workspace.
// The result is absolute, with symlinks resolved.
func ResolveFile(what, p string, getenv func(string) string) (string, error) {
	if p == "" {
		return "", nil
	}
	cands := []string{p}
	if !filepath.IsAbs(p) {
		var roots []string
		if d := getenv("RUNFILES_DIR"); d != "" {
			roots = append(roots, filepath.Join(d, "_main"), d)
		}
		if exe, err := os.Executable(); err == nil {
			roots = append(roots, exe+".runfiles/_main")
		}
		roots = append(roots, getenv("BUILD_WORKING_DIRECTORY"), getenv("BUILD_WORKSPACE_DIRECTORY"))
		for _, r := range roots {
			if r != "" {
				cands = append(cands, filepath.Join(r, p))
			}
		}
	}
	for _, c := range cands {
		if fi, err := os.Stat(c); err == nil && !fi.IsDir() {
			if r, err := filepath.EvalSymlinks(c); err == nil {
				c = r
			}
			return filepath.Abs(c)
		}
	}
	return "", fmt.Errorf("%s %q not found (tried %s); build it with `bazel build`, or start the tool with `bazel run`",
		what, p, strings.Join(cands, ", "))
}
