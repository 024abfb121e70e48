package kpatch

import (
	"errors"
	"fmt"
	"strings"

	"gojos/kern/kinfo"
)

// Ctl serves one SYS_gojos_ctl request line. Words are separated by
// spaces; a word starting with a double quote is a Go-quoted string (kcall's
// string arguments may hold spaces).
func Ctl(req string) (string, error) {
	var room [4]string
	f, err := AppendWords(room[:0], req)
	if err != nil {
		return "", err
	}
	if len(f) == 0 {
		return "", errors.New("empty request")
	}
	switch {
	case f[0] == "kcall" && len(f) >= 2:
		return Kcall(f[1], append([]string(nil), f[2:]...)) // room stays here
	case f[0] == "kpatch" && len(f) == 2 && f[1] == "-l":
		return List(), nil
	case f[0] == "kpatch" && len(f) == 2 && f[1] == "-s":
		return Summary()
	case f[0] == "kpatch" && len(f) == 3 && f[1] == "-d":
		return Disassemble(f[2])
	case f[0] == "kpatch" && len(f) == 2 && f[1] == "-t":
		return Times()
	case f[0] == "kpatch" && (len(f) == 3 || len(f) == 4) && f[1] == "-u":
		r := ""
		if len(f) == 4 {
			r = f[3]
		}
		start := kinfo.TSC()
		out, err := Unpatch(f[2], r)
		return timed(&unpatchTimes, start, out, err)
	case f[0] == "kpatch" && len(f) == 4 && f[1] == "-f":
		start := kinfo.TSC()
		out, err := Patch(f[2], f[3], true)
		return timed(&patchTimes, start, out, err)
	case f[0] == "kpatch" && len(f) == 3 && !strings.HasPrefix(f[1], "-"):
		start := kinfo.TSC()
		out, err := Patch(f[1], f[2], false)
		return timed(&patchTimes, start, out, err)
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

// timed records in o how long a successful request took since start and
// passes its answer on.
func timed(o *opTimes, start uint64, out string, err error) (string, error) {
	if err == nil {
		o.add(kinfo.TSC() - start)
	}
	return out, err
}

// Times is "kpatch -t": how long the kernel took for the patches and the
// unpatches that succeeded since the last report (count, median, minimum,
// maximum in nanoseconds, from the request's dispatch to its answer), and
// starts a new record.
func Times() (string, error) {
	si, err := kinfo.Get()
	if err != nil {
		return "", fmt.Errorf("clock: %v", err)
	}
	return patchTimes.take("patch", si.TSCHz) + unpatchTimes.take("unpatch", si.TSCHz), nil
}
