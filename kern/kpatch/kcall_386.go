package kpatch

import (
	"fmt"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"gojos/kern/functab"
	"gojos/kern/kabi/cproto"
	"gojos/kern/kpatch/rules"
)

// Kcall calls a kernel or module function with arguments parsed from words
// and describes its results: "kpatch_test1 returned 1".
//
// A kernel function is called through reflect's call trampoline (the
// runtime's reflectcall, in assembly): reflect.FuncOf builds a func type
// from stand-in types with the table's sizes and alignments, so that its
// ABI0 frame is the function's own — args, then results, at the table's
// offsets — and its GC metadata is right where it matters: strings passed
// and pointers, strings and errors returned are typed (kept alive across the
// call, moved back with write barriers); other results are plain words,
// only printed.
func Kcall(arg string, words []string) (string, error) {
	mu.Lock()
	f, err := resolve(arg)
	var tf *functab.Func
	var refusal *rules.Refusal
	if err == nil && f.module == nil {
		if tf, err = goFunc(f); err == nil {
			refusal = callable(tf)
		}
	}
	mu.Unlock()
	if err != nil {
		return "", err
	}
	if f.module != nil {
		return kcallC(f, words)
	}
	name := arg
	if strings.HasPrefix(arg, "0x") || strings.HasPrefix(arg, "0X") {
		name = short(f)
	}
	if refusal != nil {
		return "", fmt.Errorf("%v", refusal)
	}
	if len(words) != len(tf.Params) {
		return "", fmt.Errorf("%s takes %d arguments (%s), got %d", name, len(tf.Params), tf.Signature(), len(words))
	}
	if f, ok := directWord(tf); ok {
		return kcallDirect(name, tf, f) // kcall_direct_386.go
	}
	fv, args, err := goCallable(tf, words)
	if err != nil {
		return "", fmt.Errorf("%s: %v", name, err)
	}
	var res []reflect.Value
	var panicked any
	err = callContained(name, func() {
		defer func() { panicked = recover() }()
		res = fv.Call(args)
	})
	runtime.KeepAlive(args)
	if err != nil {
		return "", err
	}
	if panicked != nil {
		return "", panickedError(name, panicked)
	}
	out := make([]string, len(res))
	for i, v := range res {
		out[i] = formatResult(tf.Results[i].Type, v)
	}
	if len(out) == 0 {
		return name + " returned (no results)\n", nil
	}
	return name + " returned " + strings.Join(out, ", ") + "\n", nil
}

// panickedError is kcall's answer when the function panicked.
func panickedError(name string, v any) error { return fmt.Errorf("%s panicked: %v", name, v) }

// goCallable builds the func value and the arguments of a call of tf.
func goCallable(tf *functab.Func, words []string) (reflect.Value, []reflect.Value, error) {
	in := make([]reflect.Type, len(tf.Params))
	args := make([]reflect.Value, len(tf.Params))
	for i, p := range tf.Params {
		v, err := argValue(p.Type, words[i])
		if err != nil {
			name := p.Name
			if name == "" {
				name = strconv.Itoa(i + 1)
			}
			return reflect.Value{}, nil, fmt.Errorf("argument %s (%s): %v", name, p.Type.Name, err)
		}
		in[i], args[i] = v.Type(), v
	}
	ft, err := funcType(tf, in)
	if err != nil {
		return reflect.Value{}, nil, err
	}
	// A func value points at a closure whose first word is the code.
	closure := new(uintptr)
	*closure = uintptr(tf.Entry)
	return reflect.NewAt(ft, unsafe.Pointer(&closure)).Elem(), args, nil
}

// funcTypes caches the func type of each kernel function kcall called,
// by entry: building it (stand-ins, frame check, reflect.FuncOf) cost more
// than the call. The argument types are a function of the table's
// parameter types, so a cached type fits every later call.
var funcTypes struct {
	sync.Mutex
	m map[uint32]reflect.Type
}

// funcType is the func type of a call of tf with arguments of types in.
func funcType(tf *functab.Func, in []reflect.Type) (reflect.Type, error) {
	funcTypes.Lock()
	defer funcTypes.Unlock()
	if ft, ok := funcTypes.m[tf.Entry]; ok {
		return ft, nil
	}
	out := make([]reflect.Type, len(tf.Results))
	for i, p := range tf.Results {
		t, err := standIn(p.Type)
		if err != nil {
			return nil, fmt.Errorf("result %d: %v", i+1, err)
		}
		out[i] = t
	}
	if err := sameFrame(tf, in, out); err != nil {
		return nil, err
	}
	ft := reflect.FuncOf(in, out, false)
	if funcTypes.m == nil {
		funcTypes.m = map[uint32]reflect.Type{}
	}
	funcTypes.m[tf.Entry] = ft
	return ft, nil
}

// sameFrame checks that the stand-in types lay the ABI0 frame out as the
// table does: each at its offset (aligned for its type; results from a
// register-aligned offset).
func sameFrame(tf *functab.Func, in, out []reflect.Type) error {
	off := uintptr(0)
	check := func(ps []functab.Param, ts []reflect.Type) error {
		for i, t := range ts {
			off = (off + uintptr(t.Align()) - 1) &^ (uintptr(t.Align()) - 1)
			if off != uintptr(ps[i].Offset) || t.Size() != uintptr(ps[i].Type.Size) {
				return fmt.Errorf("cannot lay out a call frame like %s's: %v at %d, the table has %s at %d", tf.Name, t, off, ps[i].Type.Name, ps[i].Offset)
			}
			off += t.Size()
		}
		return nil
	}
	if err := check(tf.Params, in); err != nil {
		return err
	}
	off = (off + 3) &^ 3
	return check(tf.Results, out)
}

// argValue parses one word as a value of a parameter's type, as the
// underlying basic type of its class and size.
func argValue(t functab.Type, w string) (reflect.Value, error) {
	bits := int(t.Size * 8)
	switch t.Class {
	case functab.ClassInt:
		v, err := strconv.ParseInt(w, 0, bits)
		if err != nil {
			return reflect.Value{}, fmt.Errorf("%q is not an integer in range for %s", w, t.Name)
		}
		return reflect.ValueOf([...]any{int8(v), int16(v), int32(v), int64(v)}[sizeIndex(t.Size)]), nil
	case functab.ClassUint:
		v, err := strconv.ParseUint(w, 0, bits)
		if err != nil {
			return reflect.Value{}, fmt.Errorf("%q is not an unsigned integer in range for %s", w, t.Name)
		}
		return reflect.ValueOf([...]any{uint8(v), uint16(v), uint32(v), uint64(v)}[sizeIndex(t.Size)]), nil
	case functab.ClassBool:
		v, err := strconv.ParseBool(w)
		if err != nil {
			return reflect.Value{}, fmt.Errorf("%q is not a bool (true or false)", w)
		}
		return reflect.ValueOf(v), nil
	case functab.ClassString:
		if strings.HasPrefix(w, `"`) {
			s, err := strconv.Unquote(w)
			if err != nil {
				return reflect.Value{}, fmt.Errorf("%s is not a valid quoted string", w)
			}
			w = s
		}
		return reflect.ValueOf(w), nil
	}
	return reflect.Value{}, fmt.Errorf("kcall cannot pass a %s", t.Name)
}

func sizeIndex(size uint32) int {
	switch size {
	case 1:
		return 0
	case 2:
		return 1
	case 4:
		return 2
	}
	return 3
}

var (
	errorType   = reflect.TypeOf((*error)(nil)).Elem()
	pointerType = reflect.TypeOf(unsafe.Pointer(nil))
)

// standIn is the reflect type a result is received as: the same size and
// ABI0 alignment as t, typed as what the printing needs (pointers, strings
// and errors as such).
func standIn(t functab.Type) (reflect.Type, error) {
	var rt reflect.Type
	switch {
	case t.Class == functab.ClassInt || t.Class == functab.ClassUint || t.Class == functab.ClassBool:
		v, err := argValue(t, "0")
		if t.Class == functab.ClassBool {
			v, err = reflect.ValueOf(false), nil
		}
		if err != nil {
			return nil, err
		}
		rt = v.Type()
	case t.Class == functab.ClassString:
		rt = reflect.TypeOf("")
	case t.Class == functab.ClassError:
		rt = errorType
	case t.Class == functab.ClassPointer:
		rt = pointerType
	case t.Name == "float64":
		rt = reflect.TypeOf(float64(0))
	case t.Name == "float32":
		rt = reflect.TypeOf(float32(0))
	case t.Align == 8 && t.Size%8 == 0:
		rt = reflect.ArrayOf(int(t.Size/8), reflect.TypeOf(atomic.Int64{}))
	case t.Align == 4 && t.Size%4 == 0:
		rt = reflect.ArrayOf(int(t.Size/4), reflect.TypeOf(uint32(0)))
	case t.Align == 2 && t.Size%2 == 0:
		rt = reflect.ArrayOf(int(t.Size/2), reflect.TypeOf(uint16(0)))
	default:
		rt = reflect.ArrayOf(int(t.Size), reflect.TypeOf(uint8(0)))
	}
	if uint32(rt.Size()) != t.Size || uint8(rt.Align()) != t.Align {
		return nil, fmt.Errorf("cannot receive a %s (%d bytes, aligned %d) as %v (%d, %d)", t.Name, t.Size, t.Align, rt, rt.Size(), rt.Align())
	}
	return rt, nil
}

// formatResult prints a result by its Go type.
func formatResult(t functab.Type, v reflect.Value) string {
	switch {
	case t.Class == functab.ClassInt:
		return strconv.FormatInt(v.Int(), 10)
	case t.Class == functab.ClassUint:
		return strconv.FormatUint(v.Uint(), 10)
	case t.Class == functab.ClassBool:
		return strconv.FormatBool(v.Bool())
	case t.Class == functab.ClassString:
		return strconv.Quote(v.String())
	case t.Class == functab.ClassPointer:
		return fmt.Sprintf("%#x", v.Pointer())
	case t.Class == functab.ClassError:
		if v.IsNil() {
			return "<nil>"
		}
		return errorText(v.Interface().(error))
	case v.Kind() == reflect.Float64 || v.Kind() == reflect.Float32:
		return strconv.FormatFloat(v.Float(), 'g', -1, int(t.Size*8))
	}
	a := reflect.New(v.Type()).Elem() // addressable, for the atomic.Int64 elements
	a.Set(v)
	words := make([]string, a.Len())
	for i := range words {
		e := a.Index(i)
		if e.Kind() == reflect.Struct {
			words[i] = fmt.Sprintf("%#x", uint64(e.Addr().Interface().(*atomic.Int64).Load()))
			continue
		}
		words[i] = fmt.Sprintf("%#x", e.Uint())
	}
	return t.Name + "{" + strings.Join(words, ", ") + "}"
}

// errorText is err.Error(), or what went wrong calling it.
func errorText(err error) (s string) {
	defer func() {
		if r := recover(); r != nil {
			s = fmt.Sprintf("(its Error method panicked: %v)", r)
		}
	}()
	return err.Error()
}

// kcallC calls a module function with arguments parsed by its C prototype.
func kcallC(f *function, words []string) (string, error) {
	p, err := cproto.Parse(f.proto)
	if err != nil {
		return "", fmt.Errorf("%s: %v", short(f), err)
	}
	args, err := cproto.Args(p, words)
	if err != nil {
		return "", fmt.Errorf("%s: %v", short(f), err)
	}
	lo, hi, err := callModule(f.module, f.addr, short(f), args)
	if err != nil {
		return "", err
	}
	if p.Result.Kind == cproto.Void {
		return short(f) + " returned (void)\n", nil
	}
	return short(f) + " returned " + cproto.Result(p.Result, lo, hi) + "\n", nil
}
