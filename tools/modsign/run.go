package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"

	"gojos/kern/modsign"
	"gojos/kern/modsign/signer"
	"gojos/tools/modkey"
)

type options struct {
	cmd, key, out, goPkg string
	args                 []string
}

func run(o options, stdout io.Writer) error {
	switch o.cmd {
	case "sign":
		return sign(o)
	case "verify":
		return verify(o, stdout)
	case "strip":
		return strip(o)
	case "pubkey":
		return pubkey(o)
	case "genkey":
		return genkey(o)
	}
	return fmt.Errorf("unknown command (want sign, verify, strip, pubkey or genkey)")
}

// oneInOneOut checks the "-o OUT IN" shape and reads IN.
func oneInOneOut(o options) ([]byte, error) {
	if len(o.args) != 1 || o.out == "" {
		return nil, errors.New("want -o OUT and one input file")
	}
	return os.ReadFile(o.args[0])
}

func sign(o options) error {
	in, err := oneInOneOut(o)
	if err != nil {
		return err
	}
	if o.key == "" {
		return errors.New("-key is required")
	}
	k, err := modkey.LoadPrivate(o.key)
	if err != nil {
		return err
	}
	s, err := signer.Sign(k, in)
	if err != nil {
		return fmt.Errorf("%s: %v", o.args[0], err)
	}
	return os.WriteFile(o.out, s, 0o644)
}

func verify(o options, stdout io.Writer) error {
	if o.key == "" || len(o.args) == 0 {
		return errors.New("want -key KEY and module files")
	}
	pub, err := modkey.LoadPublic(o.key)
	if err != nil {
		return err
	}
	ring := modsign.Keyring{modsign.KeyOf(pub)}
	bad := 0
	for _, f := range o.args {
		data, err := os.ReadFile(f)
		if err == nil {
			var id modsign.KeyID
			_, id, err = ring.Verify(data)
			if err == nil {
				fmt.Fprintf(stdout, "%s: signed by key %s\n", f, id)
				continue
			}
		}
		fmt.Fprintf(stdout, "%s: %v\n", f, err)
		bad++
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d files do not verify", bad, len(o.args))
	}
	return nil
}

func strip(o options) error {
	in, err := oneInOneOut(o)
	if err != nil {
		return err
	}
	s, err := modsign.Parse(in)
	if err != nil {
		return fmt.Errorf("%s: %v", o.args[0], err)
	}
	return os.WriteFile(o.out, s.Image, 0o644)
}

func pubkey(o options) error {
	if o.key == "" || o.out == "" || len(o.args) != 0 {
		return errors.New("want -key KEY and -o OUT")
	}
	pub, err := modkey.LoadPublic(o.key)
	if err != nil {
		return err
	}
	var out []byte
	if o.goPkg != "" {
		out = modkey.GoSource(o.goPkg, pub)
	} else if out, err = modkey.EncodePublic(pub); err != nil {
		return err
	}
	return os.WriteFile(o.out, out, 0o644)
}

func genkey(o options) error {
	if o.out == "" || len(o.args) != 0 {
		return errors.New("want -o KEY.pem")
	}
	if _, err := os.Stat(o.out); err == nil {
		return fmt.Errorf("%s exists: not overwriting a key", o.out)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	pem, err := modkey.EncodePrivate(priv)
	if err != nil {
		return err
	}
	return os.WriteFile(o.out, pem, 0o600)
}
