package kstress

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// fakeKernel models patch stacks like the kernel: kcall of a target follows
// its newest patch (and the replacement's, as a jump to a patched entry
// does).
type fakeKernel struct {
	mu     sync.Mutex
	stacks map[string][]string
}

func (k *fakeKernel) ctl(req string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	f := strings.Fields(req)
	switch {
	case f[0] == "kcall":
		name := f[1]
		for i := 0; i < 8 && len(k.stacks[name]) > 0; i++ {
			s := k.stacks[name]
			name = s[len(s)-1]
		}
		for _, t := range Targets {
			if t.Name == name {
				return fmt.Sprintf("%s returned %d\n", f[1], t.Value), nil
			}
		}
		return "", fmt.Errorf("no %s", name)
	case f[0] == "kpatch" && f[1] == "-l":
		var b strings.Builder
		for t, s := range k.stacks {
			if len(s) > 0 {
				b.WriteString(t + "\n")
			}
		}
		if b.Len() == 0 {
			return "no functions are patched\n", nil
		}
		return b.String(), nil
	case f[0] == "kpatch" && f[1] == "-u":
		s := k.stacks[f[2]]
		if len(s) == 0 {
			return "", fmt.Errorf("%s is not patched", f[2])
		}
		k.stacks[f[2]] = s[:len(s)-1]
		return "unpatched\n", nil
	case f[0] == "kpatch":
		for a, i := f[2], 0; i < 8; i++ {
			if a == f[1] {
				return "", fmt.Errorf("refused: calls would loop forever through %s", f[1])
			}
			s := k.stacks[a]
			if len(s) == 0 {
				break
			}
			a = s[len(s)-1]
		}
		k.stacks[f[1]] = append(k.stacks[f[1]], f[2])
		return "patched\n", nil
	}
	return "", fmt.Errorf("bad request %q", req)
}

func TestRun(t *testing.T) {
	k := &fakeKernel{stacks: map[string][]string{}}
	ctl = k.ctl
	var out, errb bytes.Buffer
	if err := Run([]string{"kstress", "-cycles", "200", "-callers", "2", "-seed", "7"}, nil, &out, &errb); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	if !strings.Contains(out.String(), "seed 7: 200 cycles") || !strings.Contains(out.String(), "kstress: ok") ||
		strings.Contains(out.String(), " 0 refused as loops") {
		t.Errorf("output:\n%s", out.String())
	}
}

func TestLeftPatchedIsAnError(t *testing.T) {
	k := &fakeKernel{stacks: map[string][]string{"kpatch_bench_a": {"kpatch_bench_b"}}}
	ctl = k.ctl
	var out, errb bytes.Buffer
	err := Run([]string{"kstress", "-cycles", "0", "-callers", "0"}, nil, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "still patched") {
		t.Fatalf("got %v", err)
	}
}
