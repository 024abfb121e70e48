// Command mksyscalls writes docs/syscalls.md, the table of every Linux
// system call gojos answers, from the system-call tables of kern/shim and
// kern/proc. Those are linux/386 code, so it runs as a 386 program:
//
//	GOARCH=386 go run ./tools/mksyscalls > docs/syscalls.md
package main

import (
	"fmt"
	"os"
)

func main() {
	shim, proc, ok := tables()
	if !ok {
		fmt.Fprintln(os.Stderr, "mksyscalls: the tables are linux/386 code: run with GOARCH=386")
		os.Exit(2)
	}
	fmt.Print(Render(shim, proc))
}
