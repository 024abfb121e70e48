package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	var o options
	flag.StringVar(&o.out, "o", ".", "output directory")
	flag.StringVar(&o.key, "key", "", "module-signing key (PEM): sign every output, and add the signature attacks")
	flag.BoolVar(&o.livepatch, "livepatch", false, "the input is a livepatch module: write the broken patch tables (livepatch.go) instead")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: badko [-o OUTDIR] [-key KEY.pem] [-livepatch] valid.ko\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	o.in = flag.Arg(0)
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "badko:", err)
		os.Exit(1)
	}
}
