package kpatch

import (
	"fmt"
	"strconv"
)

// AppendWords splits a request line into words, appended to out: runs of
// non-space bytes, or Go-quoted strings (kept quoted, for the consumer to
// unquote). A caller with room for the words (every request but a kcall's
// with arguments has at most four) splits a request without an allocation.
func AppendWords(out []string, req string) ([]string, error) {
	for i := 0; i < len(req); {
		switch {
		case req[i] == ' ' || req[i] == '\t' || req[i] == '\n':
			i++
		case req[i] == '"':
			q, err := strconv.QuotedPrefix(req[i:])
			if err != nil {
				return nil, fmt.Errorf("bad quoted word at byte %d of the request", i)
			}
			out = append(out, q)
			i += len(q)
		default:
			j := i
			for j < len(req) && req[j] != ' ' && req[j] != '\t' && req[j] != '\n' {
				j++
			}
			out = append(out, req[i:j])
			i = j
		}
	}
	return out, nil
}
