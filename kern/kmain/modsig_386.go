package kmain

import (
	"fmt"
	"io"
	"os"

	"gojos/kern/module"
)

// sigEnforceVar is the kernel command line's switch for module signatures
// (a word with '=' is an environment variable of the kernel): the default,
// 1, loads only modules signed with a trusted key; 0, for development, also
// loads unsigned ones and taints the kernel (E). Linux's parameter has the
// same name (there, 1 turns enforcement on).
const sigEnforceVar = "module.sig_enforce"

// setSigEnforce applies the command line's module.sig_enforce.
func setSigEnforce(out io.Writer) {
	v, set := os.LookupEnv(sigEnforceVar)
	switch {
	case !set || v == "1":
	case v == "0":
		module.SigEnforce = false
		fmt.Fprintf(out, "gojos: %s=0: module signatures are not enforced; an unsigned module loads and taints the kernel (E)\n", sigEnforceVar)
	default:
		fmt.Fprintf(out, "gojos: %s=%q is not 0 or 1: module signatures stay enforced\n", sigEnforceVar, v)
	}
}
