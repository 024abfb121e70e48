//go:build !386

package kmain

import (
	"errors"
	"io"
)

func startUserspace(io.Writer) error { return errors.New("user space runs on i386 only") }
