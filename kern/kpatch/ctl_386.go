package kpatch

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Ctl serves one SYS_gojos_ctl request line. Words are separated by
// spaces; a word starting with a double quote is a Go-quoted string (kcall's
// string arguments may hold spaces).
func Ctl(req string) (string, error) {
	f, err := Words(req)
	if err != nil {
		return "", err
	}
	if len(f) == 0 {
		return "", errors.New("empty request")
	}
	switch {
	case f[0] == "kcall" && len(f) >= 2:
		return Kcall(f[1], f[2:])
	case f[0] == "kpatch" && len(f) == 2 && f[1] == "-l":
		return List(), nil
	case f[0] == "kpatch" && len(f) == 2 && f[1] == "-s":
		return Summary()
	case f[0] == "kpatch" && len(f) == 3 && f[1] == "-d":
		return Disassemble(f[2])
	case f[0] == "kpatch" && (len(f) == 3 || len(f) == 4) && f[1] == "-u":
		r := ""
		if len(f) == 4 {
			r = f[3]
		}
		return Unpatch(f[2], r)
	case f[0] == "kpatch" && len(f) == 4 && f[1] == "-f":
		return Patch(f[2], f[3], true)
	case f[0] == "kpatch" && len(f) == 3 && !strings.HasPrefix(f[1], "-"):
		return Patch(f[1], f[2], false)
	case f[0] == "ksyms" && len(f) == 2:
		return Ksyms(f[1])
	}
	return "", fmt.Errorf("bad request %q", req)
}

// Words splits a request line into words: runs of non-space bytes, or
// Go-quoted strings (kept quoted, for the consumer to unquote).
func Words(req string) ([]string, error) {
	var out []string
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
