package cat

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gojos/user/internal/cmdutil"
)

func TestCat(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a")
	if err := os.WriteFile(a, []byte("file a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	err := Run([]string{"cat", a, "-", a}, strings.NewReader("from stdin\n"), &out, &errs)
	if err != nil || out.String() != "file a\nfrom stdin\nfile a\n" || errs.Len() != 0 {
		t.Errorf("cat a - a = %q, %q, %v", out.String(), errs.String(), err)
	}
	out.Reset()
	if err := Run([]string{"cat"}, strings.NewReader("only stdin"), &out, &errs); err != nil || out.String() != "only stdin" {
		t.Errorf("cat = %q, %v", out.String(), err)
	}
	out.Reset()
	err = Run([]string{"cat", filepath.Join(dir, "missing"), a}, nil, &out, &errs)
	if err != cmdutil.ExitStatus(1) || out.String() != "file a\n" ||
		!strings.Contains(errs.String(), "cat: open "+dir+"/missing: no such file or directory") {
		t.Errorf("cat missing a = %q, %q, %v", out.String(), errs.String(), err)
	}
	errs.Reset()
	if err := Run([]string{"cat", dir}, nil, &out, &errs); err == nil || !strings.Contains(errs.String(), "is a directory") {
		t.Errorf("cat dir = %q, %v", errs.String(), err)
	}
}
