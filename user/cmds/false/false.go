// Package falsecmd is the false command: it does nothing, unsuccessfully.
package falsecmd

import (
	"io"

	"gojos/user/internal/cmdutil"
)

// Run returns exit status 1 without a message.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	return cmdutil.ExitStatus(1)
}
