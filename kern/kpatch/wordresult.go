package kpatch

import (
	"strconv"

	"gojos/kern/functab"
)

// wordResult prints a result of type t that arrived in the word w, as
// formatResult prints it.
func wordResult(t functab.Type, w uint32) string {
	bits := t.Size * 8
	w &= uint32(1<<bits - 1)
	switch t.Class {
	case functab.ClassInt:
		return strconv.FormatInt(int64(int32(w<<(32-bits))>>(32-bits)), 10) // sign-extended
	case functab.ClassBool:
		return strconv.FormatBool(w != 0)
	}
	return strconv.FormatUint(uint64(w), 10)
}
