package elfbuild

import "testing"

func TestClosureAndShapeNames(t *testing.T) {
	for name, want := range map[string]bool{
		"main.main.func1":                             true,
		"gojos/kern/selftest.goroutines.func1.2":      true,
		"gojos/kern/selftest.timers.deferwrap1":       true,
		"main.main.gowrap3":                           true,
		"reflect.Value.Comparable-range1":             true,
		"gojos/kern/kmain.(*console).Read-fm":         true,
		"os.init.OnceValue[go.shape.bool].func4":      true,
		"main.func1x":                                 false,
		"main.function":                               false,
		"gojos/kern/ksym.Parse":                       false,
		"slices.Compare[go.shape.[]int,go.shape.int]": false,
		"type:.eq.[16]sync/atomic.Pointer[go.shape.struct { x.func1 bool }]": false,
	} {
		if got := isClosure(name); got != want {
			t.Errorf("isClosure(%q) = %v", name, got)
		}
	}
	if !isShape("slices.Compare[go.shape.[]int,go.shape.int]") || isShape("sync/atomic.(*Pointer[int]).Load") {
		t.Error("isShape")
	}
}
