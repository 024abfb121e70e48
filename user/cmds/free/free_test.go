package free

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gojos/kern/procinfo"
	"gojos/user/internal/cmdutil"
)

func TestFormat(t *testing.T) {
	m := procinfo.ParseMeminfo(string(procinfo.Meminfo(procinfo.Mem{Total: 24576, Free: 10000})))
	want := "          total        used        free      shared  buff/cache   available\n" +
		"Mem:      24576       14576       10000           0           0       10000\n" +
		"Swap:         0           0           0\n"
	if got := Format(m, 1); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := Format(m, 1024); !strings.Contains(got, "Mem:         24          14           9") {
		t.Errorf("MiB:\n%s", got)
	}
}

func TestRun(t *testing.T) {
	saved := MeminfoFile
	t.Cleanup(func() { MeminfoFile = saved })
	p := filepath.Join(t.TempDir(), "meminfo")
	os.WriteFile(p, procinfo.Meminfo(procinfo.Mem{Total: 2048, Free: 1024}), 0o644)
	MeminfoFile = p
	var out, errs bytes.Buffer
	if st := cmdutil.Status("free", Run([]string{"free", "-m"}, nil, &out, &errs), &errs); st != 0 || !strings.Contains(out.String(), "Mem:          2           1           1") {
		t.Errorf("free -m: %d %q %q", st, out.String(), errs.String())
	}
	os.WriteFile(p, []byte("nonsense\n"), 0o644)
	errs.Reset()
	if st := cmdutil.Status("free", Run([]string{"free"}, nil, &out, &errs), &errs); st != 1 || !strings.Contains(errs.String(), "no MemTotal") {
		t.Errorf("bad meminfo: %d %q", st, errs.String())
	}
}
