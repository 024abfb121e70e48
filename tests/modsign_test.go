package tests

// modsign_test checks the build's module signing end to end, whichever key
// //modules/keys:signing_key names: every module the build signs verifies
// with that key's public half, the kernel's trusted keys
// (//kern/modsign/trusted) are exactly that key, and the committed
// kern/modsign/trusted/devkey.go (the go tool's copy) is the development
// key's. Bazel passes the paths (//tests:modsign_test):
//
//	-pubkey=... -trusted-go=... -dev-pem=... -dev-go=... -require MODULE.ko...

import (
	"bytes"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"gojos/kern/modsign"
	"gojos/tools/modkey"
)

var (
	pubkeyPath    = flag.String("pubkey", "", "the build's public signing key (//modules/keys:public_key)")
	trustedGoPath = flag.String("trusted-go", "", "the kernel's generated trusted keys (//kern/modsign/trusted:keys_go)")
	devPemPath    = flag.String("dev-pem", "", "the committed development key")
	devGoPath     = flag.String("dev-go", "", "kern/modsign/trusted/devkey.go")
)

func init() {
	if flag.Lookup("require") == nil {
		flag.Bool("require", false, "fail instead of skipping when a path is not given")
	}
}

// signingArtifact reads the file at path (skipping when the flag was not
// given and -require is not set), from the runfiles root under Bazel.
func signingArtifact(t *testing.T, name, path string) []byte {
	t.Helper()
	if path == "" {
		if flag.Lookup("require").Value.String() == "true" {
			t.Fatalf("-%s not given (and -require is set)", name)
		}
		t.Skipf("-%s not given: run `bazel test //tests:modsign_test`", name)
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !filepath.IsAbs(path) && os.Getenv("TEST_SRCDIR") != "" {
		b, err = os.ReadFile(filepath.Join(os.Getenv("TEST_SRCDIR"), "_main", path))
	}
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBuildSigning(t *testing.T) {
	pub, err := modkey.ParsePublic(signingArtifact(t, "pubkey", *pubkeyPath))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := signingArtifact(t, "trusted-go", *trustedGoPath), modkey.GoSource("trusted", pub); !bytes.Equal(got, want) {
		t.Errorf("the kernel's trusted keys are not the signing key's:\n%s\nwant\n%s", got, want)
	}
	if flag.NArg() == 0 && flag.Lookup("require").Value.String() == "true" {
		t.Fatal("no modules given")
	}
	for _, ko := range flag.Args() {
		data := signingArtifact(t, "module", ko)
		if _, id, err := (modsign.Keyring{modsign.KeyOf(pub)}).Verify(data); err != nil {
			t.Errorf("%s: %v", ko, err)
		} else {
			t.Logf("%s: signed by key %s", ko, id)
		}
	}
}

func TestDevKeyCopy(t *testing.T) {
	pub, err := modkey.ParsePublic(signingArtifact(t, "dev-pem", *devPemPath))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := signingArtifact(t, "dev-go", *devGoPath), modkey.GoSource("trusted", pub); !bytes.Equal(got, want) {
		t.Errorf("devkey.go is not the development key's; regenerate it with\n"+
			"  go run ./tools/modsign pubkey -key modules/keys/insecure-dev-signing-key.pem -go trusted -o kern/modsign/trusted/devkey.go\ngot\n%s", got)
	}
}
