// Command gojos is the gojos user space in one static binary, dispatching
// on the name it was started as (busybox style): /bin/sh, /bin/ls, … are
// links to /bin/gojos. "gojos <command> args" works too.
package main

import "os"

func main() {
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}
