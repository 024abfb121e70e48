package systab

import "testing"

func TestFindAndCheck(t *testing.T) {
	f := func() int { return 1 }
	tab := []Syscall[func() int]{
		{Nr: 3, Name: "read", Status: Implemented, Fn: f},
		{Nr: 4, Name: "write", Status: Harmless, Fn: f},
		{Nr: 240, Name: "futex", Status: NotSupported, Fn: f},
	}
	for nr, want := range map[uint32]int{3: 0, 4: 1, 240: 2, 0: -1, 5: -1, 9999: -1} {
		if got := Find(tab, nr); got != want {
			t.Errorf("Find(%d) = %d, want %d", nr, got, want)
		}
	}
	x := Index(tab)
	if len(x) != 241 {
		t.Errorf("Index: length %d, want 241", len(x))
	}
	for nr := uint32(0); nr < 300; nr++ {
		got := -1
		if nr < uint32(len(x)) {
			got = int(x[nr])
		}
		if want := Find(tab, nr); got != want {
			t.Errorf("Index[%d] = %d, Find says %d", nr, got, want)
		}
	}
	if Index[func() int](nil) != nil {
		t.Error("Index of an empty table")
	}
	if Name(tab, 240) != "futex" || Name(tab, 1) != "?" {
		t.Error("Name")
	}
	has := func(f func() int) bool { return f != nil }
	if bad := Check(tab, has); len(bad) != 0 {
		t.Errorf("good table: %v", bad)
	}
	tab[2].Nr, tab[1].Fn, tab[0].Status = 4, nil, 0
	if bad := Check(tab, has); len(bad) != 3 {
		t.Errorf("bad table: %v", bad)
	}
	if in := Infos(tab); len(in) != 3 || in[2].Name != "futex" {
		t.Error("Infos")
	}
	if Implemented.String() != "implemented" || NotSupported.String() != "ENOSYS" || Status(9).String() != "?" {
		t.Error("String")
	}
	if Find[func() int](nil, 3) != -1 {
		t.Error("empty table")
	}
}
