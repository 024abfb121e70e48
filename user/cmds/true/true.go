// Package truecmd is the true command: it does nothing, successfully.
package truecmd

import "io"

// Run returns nil: exit status 0.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error { return nil }
