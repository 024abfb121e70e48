// Command kern is the gojos kernel: an ordinary GOOS=linux GOARCH=386 Go
// program. Its ELF entry point is kern/arch/x86's kentry, which hands over
// to the trap tier (kern/shim); the trap tier answers the Linux system calls
// the Go runtime makes, so from here on this is normal Go.
//
// Link (see docs/boot.md):
//
//	GOOS=linux GOARCH=386 CGO_ENABLED=0 go build \
//	    -ldflags='-T 0xC0101000 -E gojos/kern/arch/x86.kentry' ./kern
package main

import (
	"fmt"
	"os"

	"gojos/kern/kmain"
	_ "gojos/kern/shim" // the trap tier: linked in by name from kern/arch/x86
)

func main() {
	if err := kmain.Run(os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "gojos: %v\n", err)
		os.Exit(1)
	}
	os.Exit(0)
}
