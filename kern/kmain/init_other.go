//go:build !386

package kmain

import (
	"errors"
	"io"
)

func startUserspace(io.Writer, bool) error { return errors.New("user space runs on i386 only") }
