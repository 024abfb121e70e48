package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gojos/kern/modsign"
	"gojos/tools/modkey"
)

type options struct {
	in, out, key string
	livepatch    bool
}

func run(o options) error {
	data, err := os.ReadFile(o.in)
	if err != nil {
		return err
	}
	valid := modsign.Strip(data)
	generate := Generate
	if o.livepatch {
		generate = GenerateLivepatch
	}
	bads, err := generate(valid)
	if err != nil {
		return fmt.Errorf("%s: %v", o.in, err)
	}
	if o.livepatch && o.key != "" {
		k, err := modkey.LoadPrivate(o.key)
		if err != nil {
			return err
		}
		if bads, err = signAll(bads, k); err != nil {
			return err
		}
	} else if o.key != "" {
		k, err := modkey.LoadPrivate(o.key)
		if err != nil {
			return err
		}
		if bads, err = signAll(bads, k); err != nil {
			return err
		}
		attacks, err := SigAttacks(valid, k)
		if err != nil {
			return fmt.Errorf("%s: %v", o.in, err)
		}
		bads = append(bads, attacks...)
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	var manifest strings.Builder
	for _, b := range bads {
		if err := os.WriteFile(filepath.Join(o.out, b.Name), b.Data, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(&manifest, "%s\t%s\n", b.Name, b.Want)
	}
	return os.WriteFile(filepath.Join(o.out, "MANIFEST"), []byte(manifest.String()), 0o644)
}
