package proc

import (
	"strconv"
	"strings"
)

// procSelf resolves /proc/self, the symbolic link to the calling process's
// /proc directory, in a clean absolute path.
func procSelf(p string, pid int) string {
	if p == "/proc/self" || strings.HasPrefix(p, "/proc/self/") {
		return "/proc/" + strconv.Itoa(pid) + p[len("/proc/self"):]
	}
	return p
}

// readlinkTarget returns the target of a symbolic link for readlink(2)
// (the only links are /proc/self) and false for anything else (EINVAL:
// not a link).
func readlinkTarget(p string, pid int) (string, bool) {
	if p == "/proc/self" {
		return strconv.Itoa(pid), true
	}
	return "", false
}
