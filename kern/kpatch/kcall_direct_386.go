package kpatch

import (
	"unsafe"

	"gojos/kern/functab"
)

// The most common kcall — a function without parameters that returns one
// integer or bool (the test functions, counters, flags) — is called
// directly, without reflect's call trampoline: building the argument and
// result values and the frame cost more than the call under emulation.
//
// On 386 every Go function takes its arguments and returns its results on
// the stack (ABI0), and a func value is a pointer to a closure whose first
// word is the code, so a func() uint32 value with tf.Entry as its code
// calls tf and reads its result from the first word after the (empty)
// arguments. A result narrower than the word leaves the rest of the word
// unspecified; wordResult keeps only its bytes.

// directWord returns tf as a func() uint32, if it has that shape: no
// parameters, one integer or bool result of at most 4 bytes at offset 0.
func directWord(tf *functab.Func) (func() uint32, bool) {
	if len(tf.Params) != 0 || len(tf.Results) != 1 || tf.Results[0].Offset != 0 {
		return nil, false
	}
	switch t := tf.Results[0].Type; {
	case t.Class != functab.ClassInt && t.Class != functab.ClassUint && t.Class != functab.ClassBool:
		return nil, false
	case t.Size != 1 && t.Size != 2 && t.Size != 4:
		return nil, false
	}
	closure := new(uintptr)
	*closure = uintptr(tf.Entry)
	return *(*func() uint32)(unsafe.Pointer(&closure)), true
}

// kcallDirect calls f (directWord's) under the same containment as a
// reflect call and describes its result.
func kcallDirect(name string, tf *functab.Func, f func() uint32) (string, error) {
	var w uint32
	var panicked any
	err := callContained(name, func() {
		defer func() { panicked = recover() }()
		w = f()
	})
	if err != nil {
		return "", err
	}
	if panicked != nil {
		return "", panickedError(name, panicked)
	}
	return join(name, " returned ", wordResult(tf.Results[0].Type, w), "\n"), nil
}
