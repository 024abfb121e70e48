// Command modsign signs gojos kernel modules and manages their keys
// (the format: kern/modsign; the keys: modules/keys/README.md).
//
//	modsign sign -key KEY.pem -o OUT.ko IN.ko     append IN's signature (OUT may be IN)
//	modsign verify -key KEY.pem FILE.ko...        check signatures against KEY (public or private)
//	modsign strip -o OUT.ko IN.ko                 remove a signature
//	modsign pubkey -key KEY.pem [-go PKG] -o OUT  the public key, as PEM or as Go source
//	modsign genkey -o KEY.pem                     a new random private key (PKCS#8 PEM)
//
// The i386_module Bazel rule runs "sign" on every module it builds; the
// kernel's trusted key comes from "pubkey -go".
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	o := options{cmd: os.Args[1]}
	fs := flag.NewFlagSet("modsign "+o.cmd, flag.ExitOnError)
	fs.StringVar(&o.key, "key", "", "key file (PEM)")
	fs.StringVar(&o.out, "o", "", "output file")
	fs.StringVar(&o.goPkg, "go", "", "pubkey: write Go source of this package instead of PEM")
	fs.Usage = usage
	fs.Parse(os.Args[2:])
	o.args = fs.Args()
	if err := run(o, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "modsign %s: %v\n", o.cmd, err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprint(os.Stderr, `usage:
  modsign sign -key KEY.pem -o OUT.ko IN.ko
  modsign verify -key KEY.pem FILE.ko...
  modsign strip -o OUT.ko IN.ko
  modsign pubkey -key KEY.pem [-go PACKAGE] -o OUT
  modsign genkey -o KEY.pem
`)
	os.Exit(2)
}
