// Command mkimage writes a bootable gojos raw disk image.
//
//	mkimage --boot boot.bin --kernel kernel.elf [--initrd initrd.tar] \
//	        [--cmdline "..."] --out jos.img
//
// The layout is described in docs/boot.md.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"gojos/tools/mkimage/image"
)

type options struct {
	boot, kernel, initrd, cmdline, out string
}

func main() {
	var o options
	flag.StringVar(&o.boot, "boot", "", "boot.bin: 512-byte boot sector followed by stage 2 (required)")
	flag.StringVar(&o.kernel, "kernel", "", "kernel ELF (required)")
	flag.StringVar(&o.initrd, "initrd", "", "initrd archive (optional)")
	flag.StringVar(&o.cmdline, "cmdline", "", "kernel command line (at most 255 bytes)")
	flag.StringVar(&o.out, "out", "", "output image (required)")
	flag.Parse()
	if flag.NArg() != 0 {
		fmt.Fprintf(os.Stderr, "mkimage: unexpected arguments %q\n", flag.Args())
		os.Exit(2)
	}
	if err := run(o); err != nil {
		fmt.Fprintf(os.Stderr, "mkimage: %v\n", err)
		os.Exit(1)
	}
}

func run(o options) error {
	for _, f := range []struct{ name, val string }{{"--boot", o.boot}, {"--kernel", o.kernel}, {"--out", o.out}} {
		if f.val == "" {
			return fmt.Errorf("%s is required", f.name)
		}
	}
	c := image.Config{Cmdline: o.cmdline}
	var err error
	if c.Boot, err = os.ReadFile(o.boot); err != nil {
		return err
	}
	if c.Kernel, err = os.ReadFile(o.kernel); err != nil {
		return err
	}
	if o.initrd != "" {
		if c.Initrd, err = os.ReadFile(o.initrd); err != nil {
			return err
		}
	}
	img, err := image.Build(c)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(o.out), ".mkimage-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(img); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), o.out)
}
