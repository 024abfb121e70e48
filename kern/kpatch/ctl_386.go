package kpatch

import (
	"errors"
	"fmt"
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
	case f[0] == "livepatch" && len(f) == 2 && f[1] == "list":
		return LivepatchList(), nil
	case f[0] == "livepatch" && len(f) == 2 && f[1] == "selftest":
		return SwitchSelfTest()
	case f[0] == "livepatch" && len(f) == 2 && f[1] == "last":
		return LivepatchLast(), nil
	case f[0] == "livepatch" && len(f) == 3 && f[1] == "info":
		return LivepatchInfo(f[2])
	case f[0] == "ksyms" && len(f) == 2:
		return Ksyms(f[1])
	}
	return "", fmt.Errorf("bad request %q", req)
}
