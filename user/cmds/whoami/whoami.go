// Package whoami is the whoami command: it prints the name of the
// effective user ID (from /etc/passwd), as Linux's whoami does.
package whoami

import (
	"fmt"
	"io"
	"strconv"
	"syscall"

	"gojos/user/internal/cmdutil"
	"gojos/user/internal/passwd"
)

// geteuid is the system call; a variable for tests.
var geteuid = syscall.Geteuid

// Run is the whoami command; it takes no arguments.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := cmdutil.FlagSet("whoami", "", stderr)
	if err := cmdutil.Parse(flags, args); err != nil {
		return err
	}
	if flags.NArg() != 0 {
		flags.Usage()
		return cmdutil.Usage
	}
	uid := uint32(geteuid())
	name := passwd.UserName(uid)
	if name == strconv.FormatUint(uint64(uid), 10) {
		return fmt.Errorf("cannot find name for user ID %d in %s", uid, passwd.PasswdFile)
	}
	_, err := fmt.Fprintln(stdout, name)
	return err
}
