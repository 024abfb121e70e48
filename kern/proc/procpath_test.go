package proc

import "testing"

func TestProcSelf(t *testing.T) {
	for in, want := range map[string]string{
		"/proc/self":          "/proc/42",
		"/proc/self/status":   "/proc/42/status",
		"/proc/selfish":       "/proc/selfish",
		"/proc/1/status":      "/proc/1/status",
		"/bin/sh":             "/bin/sh",
		"/proc/self/../self/": "/proc/42/../self/", // callers pass clean paths
	} {
		if got := procSelf(in, 42); got != want {
			t.Errorf("procSelf(%q) = %q, want %q", in, got, want)
		}
	}
	if got, ok := readlinkTarget("/proc/self", 7); !ok || got != "7" {
		t.Errorf("readlink /proc/self = %q %v", got, ok)
	}
	if _, ok := readlinkTarget("/bin/sh", 7); ok {
		t.Error("/bin/sh is not a link")
	}
}
