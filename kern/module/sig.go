package module

import (
	"errors"
	"fmt"
	"syscall"

	"gojos/kern/modsign"
	"gojos/kern/modsign/trusted"
)

// Module signatures (kern/modsign): every module must be signed with a key
// the kernel was built to trust (kern/modsign/trusted), checked before the
// loader parses a byte of it. A refusal is EKEYREJECTED, as Linux's
// init_module gives for a bad signature.
//
// With SigEnforce off (the kernel command line's module.sig_enforce=0, for
// development), a module that is unsigned or signed with an unknown key still
// loads, and the kernel and the module are tainted 'E' (Linux's
// TAINT_UNSIGNED_MODULE). A signature that is malformed or does not verify is
// refused either way: that module was changed after signing.
var SigEnforce = true

// keyring is the trusted keys; a refusal of every module if they are bad.
var keyring, keyringErr = trustedKeyring()

// trustedKeyring is trusted.Keys with the IDs they were built with.
func trustedKeyring() (modsign.Keyring, error) {
	var keys []modsign.Key
	for _, k := range trusted.Keys {
		keys = append(keys, modsign.Key{ID: k.ID, Pub: k.Pub})
	}
	return modsign.KeyringOf(keys...)
}

// checkSignature returns the image of the module in file for the loader, and
// whether it is to load unsigned (SigEnforce off). The error is the refusal,
// with EKEYREJECTED.
func checkSignature(file []byte) (image []byte, unsigned bool, err error) {
	if keyringErr != nil {
		return nil, false, sigRefusal(fmt.Errorf("the kernel's trusted module keys are bad: %v", keyringErr))
	}
	image, _, err = keyring.Verify(file)
	if err == nil {
		return image, false, nil
	}
	soft := errors.Is(err, modsign.ErrUnsigned) || errors.Is(err, modsign.ErrUnknownKey)
	if soft && !SigEnforce {
		return modsign.Strip(file), true, nil
	}
	if errors.Is(err, modsign.ErrUnsigned) {
		err = fmt.Errorf("%w; refused: this kernel loads only modules signed with a key it trusts (%s)", err, keyring.IDs())
	} else {
		err = fmt.Errorf("%w; refused", err)
	}
	return nil, false, sigRefusal(err)
}

// sigRefusal gives a signature refusal its errno.
func sigRefusal(err error) error { return &loaderError{err, syscall.EKEYREJECTED} }
