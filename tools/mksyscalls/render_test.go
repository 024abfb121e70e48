package main

import (
	"strings"
	"testing"

	"gojos/kern/abi/systab"
)

func in(nr uint32, name string, st systab.Status, note string) systab.Info {
	return systab.Info{Nr: nr, Name: name, Status: st, Note: note}
}

func TestRender(t *testing.T) {
	shim := []systab.Info{in(3, "read", systab.Implemented, "console"), in(240, "futex", systab.Implemented, ""), in(0x1000, "gojos_sysinfo", systab.Implemented, "a|b")}
	proc := []systab.Info{in(3, "read", systab.Implemented, ""), in(11, "execve", systab.Implemented, "ELF"), in(383, "statx", systab.NotSupported, "")}
	doc := Render(shim, proc)
	for _, want := range []string{
		"| 3 | read | implemented: console | implemented |\n",
		"| 11 | execve | — | implemented: ELF |\n",
		"| 383 | statx | — | ENOSYS |\n",
		"| 0x1000 | gojos_sysinfo | implemented: a\\|b | — |\n",
		"5 numbers: kernel runtime 3 (3 implemented, 0 harmless, 0 ENOSYS), user processes 3 (2 implemented, 0 harmless, 1 ENOSYS); 1 answered by both tiers",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("missing %q in\n%s", want, doc)
		}
	}
	if strings.Index(doc, "| 11 |") > strings.Index(doc, "| 240 |") {
		t.Error("rows not in number order")
	}
}
