package memhog

import (
	"bytes"
	"strings"
	"testing"
)

func TestBounded(t *testing.T) {
	var out, errb bytes.Buffer
	if err := Run([]string{"memhog", "-mb", "16", "-step", "2"}, nil, &out, &errb); err != nil {
		t.Fatal(err, errb.String())
	}
	if !strings.Contains(out.String(), "memhog: 8 MiB\n") || !strings.HasSuffix(out.String(), "allocated and touched 16 MiB\n") {
		t.Errorf("output %q", out.String())
	}
}

func TestUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if err := Run([]string{"memhog", "-step", "0"}, nil, &out, &errb); err == nil {
		t.Error("step 0 accepted")
	}
}
