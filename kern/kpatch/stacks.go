package kpatch

import (
	"fmt"
	"path"
	"strings"
)

// scanStacks reads runtime.Stack's text: goroutine headers ("goroutine 23
// [sleep]:"), then per frame the function with its arguments and a tab-
// indented "file:line +0x…" line; "created by" lines are not frames. The
// first goroutine is the caller's.
func scanStacks(text string, set map[string]bool) string {
	lines := strings.Split(text, "\n")
	first := true
	skip := false
	header := ""
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, "goroutine "):
			header = strings.TrimSuffix(l, ":")
			skip = first
			first = false
			continue
		case skip || l == "" || strings.HasPrefix(l, "\t") || strings.HasPrefix(l, "created by "):
			continue
		}
		j := strings.LastIndexByte(l, '(')
		if j <= 0 {
			continue
		}
		name := l[:j]
		if !set[name] {
			continue
		}
		where := ""
		if i+1 < len(lines) && strings.HasPrefix(lines[i+1], "\t") {
			pos := strings.Fields(strings.TrimSpace(lines[i+1]))
			if len(pos) > 0 {
				where = " (" + path.Base(pos[0]) + ")"
			}
		}
		return fmt.Sprintf("%s is in %s%s", header, name, where)
	}
	return ""
}
