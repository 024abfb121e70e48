package proc

import (
	"strings"
	"testing"
)

// FuzzResolve checks path resolution: whatever a process passes, the
// result is absolute and clean (no ".", "..", "//" or trailing "/"), stays
// under the root, resolving it again changes nothing, and /proc/self
// becomes the caller's own /proc directory.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{"a.txt", "../../etc/motd", "/proc/self/exe", ".", "", "//x//y/", "/..", "a/../../b", "/proc/self", "/proc/selfish"} {
		f.Add("/home/user", s)
	}
	f.Add("/", "../..")
	f.Fuzz(func(t *testing.T, cwd, p string) {
		if !strings.HasPrefix(cwd, "/") {
			cwd = "/" + cwd
		}
		cwd = Resolve("/", cwd) // a process's cwd is always resolved
		r := Resolve(cwd, p)
		if !strings.HasPrefix(r, "/") || (r != "/" && strings.HasSuffix(r, "/")) {
			t.Fatalf("Resolve(%q, %q) = %q: not absolute and clean", cwd, p, r)
		}
		for _, e := range strings.Split(r[1:], "/") {
			if e == "." || e == ".." || (e == "" && r != "/") {
				t.Fatalf("Resolve(%q, %q) = %q: element %q", cwd, p, r, e)
			}
		}
		if again := Resolve("/elsewhere", r); again != r {
			t.Fatalf("Resolve not idempotent: %q then %q", r, again)
		}
		s := procSelf(r, 42)
		switch {
		case r == "/proc/self":
			if s != "/proc/42" {
				t.Fatalf("procSelf(%q) = %q", r, s)
			}
		case strings.HasPrefix(r, "/proc/self/"):
			if s != "/proc/42/"+r[len("/proc/self/"):] {
				t.Fatalf("procSelf(%q) = %q", r, s)
			}
		default:
			if s != r {
				t.Fatalf("procSelf(%q) = %q: changed a path outside /proc/self", r, s)
			}
		}
	})
}
