// Package su is the su command:
//
//	su [user] [-c command]
//	su [-c command] [user]
//
// runs the user's shell (from /etc/passwd; user defaults to root) with the
// user's IDs — its UID, its primary group and the groups /etc/group lists
// it in — and HOME, SHELL, USER and LOGNAME set; with -c, "shell -c
// command". Its exit status is the shell's (128+N if signal N killed it).
//
// gojos has no passwords: only root may switch users. That is the kernel's
// rule, not su's — the new shell's setgroups, setgid and setuid fail with
// EPERM for anyone else — and su reports it as
//
//	su: cannot run /bin/sh as student: operation not permitted (only root may change user IDs)
package su

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"

	"gojos/user/internal/cmdutil"
	"gojos/user/internal/passwd"
)

// runCmd runs a prepared command; a variable for tests.
var runCmd = func(c *exec.Cmd) error { return c.Run() }

// Run is the su command.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := cmdutil.FlagSet("su", "[user] [-c command]", stderr)
	command := flags.String("c", "", "run `command` with the user's shell instead of an interactive one")
	name, named := "root", false
	rest := args[min(1, len(args)):]
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		name, named, rest = rest[0], true, rest[1:] // su user -c command
	}
	if err := cmdutil.Parse(flags, append([]string{"su"}, rest...)); err != nil {
		return err
	}
	switch {
	case flags.NArg() == 1 && !named:
		name = flags.Arg(0) // su -c command user
	case flags.NArg() != 0:
		flags.Usage()
		return cmdutil.Usage
	}
	u, err := passwd.LookupUser(name)
	if err != nil {
		return err
	}
	groups, err := passwd.GroupIDs(u)
	if err != nil {
		return err
	}
	c := Command(u, groups, *command)
	c.Stdin, c.Stdout, c.Stderr = stdin, stdout, stderr
	err = runCmd(c)
	var ee *exec.ExitError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ee):
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return cmdutil.ExitStatus(128 + int(ws.Signal()))
		}
		return cmdutil.ExitStatus(ee.ExitCode())
	case errors.Is(err, syscall.EPERM):
		return fmt.Errorf("cannot run %s as %s: %v (only root may change user IDs)", c.Path, u.Name, syscall.EPERM)
	}
	return fmt.Errorf("cannot run %s as %s: %v", c.Path, u.Name, err)
}

// Command is the shell su runs for u with the given groups: command with
// -c, or an interactive shell.
func Command(u passwd.User, groups []uint32, command string) *exec.Cmd {
	shell := u.Shell
	if shell == "" {
		shell = "/bin/sh"
	}
	c := exec.Command(shell)
	if command != "" {
		c.Args = append(c.Args, "-c", command)
	}
	c.Env = append(os.Environ(), "HOME="+u.Home, "SHELL="+shell, "USER="+u.Name, "LOGNAME="+u.Name)
	c.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: u.UID, Gid: u.GID, Groups: groups}}
	return c
}
