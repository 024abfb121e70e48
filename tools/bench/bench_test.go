package bench

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSummarize(t *testing.T) {
	lo, med, hi := Summarize([]time.Duration{5, 1, 3})
	if lo != 1 || med != 3 || hi != 5 {
		t.Errorf("odd: %v %v %v", lo, med, hi)
	}
	if m := Median([]time.Duration{4, 1, 3, 2}); m != 2 { // (2+3)/2 in integer ns
		t.Errorf("even median %v", m)
	}
	if Median(nil) != 0 {
		t.Error("median of nothing")
	}
}

// A timeline as kern/tstamp prints it (times in ns), with the shell's echo
// around it: boot points, init (pid 1) starting the shell (pid 3), the
// shell reading the console, then
// running a command (pid 5) that uses SYS_gojos_ctl (4101), then another
// (pid 8).
const sample = `$ cat /proc/tstamp
# tstamp hz=1000000000 records=28 dropped=0
400000000 M - - kernel entry
600000000 M - - kernel main
610000000 M - - initrd mounted
650000000 M - - live patching ready
655000000 M - - spawn /bin/init
655500000 E 1 1 120 16657
656000000 E 3 3 11 134512640
656500000 X 1 1 120 3
660000000 E 3 3 192 0
660000100 X 3 3 192 1000
700000000 E 3 3 3 0
900000000 X 3 3 3 19
900000100 E 3 3 120 331520
900000200 X 3 3 120 2
900100000 E 3 2 120 16657
900000300 E 2 2 186 0
900200000 X 3 2 120 5
900300000 E 5 5 11 134512640
910300000 X 5 5 11 0
910400000 E 5 5 192 0
910500000 E 5 5 65536 134512640
910600000 X 5 5 65536 0
950300000 E 5 5 4101 1
951300000 X 5 5 4101 0
960300000 E 5 5 252 0
961300000 E 3 3 114 -1
962300000 X 3 3 114 5
970000000 E 3 3 120 16657
970000200 X 3 3 120 8
970300000 E 8 8 11 134512640
971300000 X 8 8 11 0
971400000 E 8 8 65536 134512640
971500000 X 8 8 65536 0
975300000 E 8 8 4101 1
975400000 X 8 8 4101 0
976300000 E 8 8 252 0
976400000 E 3 3 114 -1
977300000 X 3 3 114 8
$ `

// bootPhases parses a timeline and breaks down its boot.
func bootPhases(t *testing.T, text string) ([]Record, []Phase) {
	t.Helper()
	recs, err := ParseTimeline(text)
	if err != nil {
		t.Fatal(err)
	}
	boot, err := BootPhases(recs)
	if err != nil {
		t.Fatal(err)
	}
	return recs, boot
}

func TestPhases(t *testing.T) {
	recs, boot := bootPhases(t, sample)
	want := []time.Duration{400 * time.Millisecond, 200 * time.Millisecond, 10 * time.Millisecond, 40 * time.Millisecond, 5 * time.Millisecond, time.Millisecond, 44 * time.Millisecond}
	for i, p := range boot {
		if p.D != want[i] {
			t.Errorf("boot phase %q = %v, want %v", p.Name, p.D, want[i])
		}
	}
	if len(boot) != len(want) {
		t.Errorf("%d boot phases, want %d", len(boot), len(want))
	}
	cmd, err := CommandPhases(recs, 800*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	want = []time.Duration{200 * time.Microsecond, 10 * time.Millisecond, 40 * time.Millisecond, 10 * time.Millisecond, 2 * time.Millisecond, 62200 * time.Microsecond,
		100 * time.Microsecond, 1 * time.Millisecond}
	if !strings.Contains(cmd[6].Name, " 1 page faults") || !strings.Contains(cmd[7].Name, " 2 system calls") {
		t.Errorf("counts: %q, %q", cmd[6].Name, cmd[7].Name)
	}
	for i, p := range cmd {
		if p.D != want[i] {
			t.Errorf("command phase %q = %v, want %v", p.Name, p.D, want[i])
		}
	}
	// The next command: the one after the first's wait.
	_, end, err := NextCommand(recs, 800*time.Millisecond)
	if err != nil || end != 962300*time.Microsecond {
		t.Fatalf("first command ends at %v, %v", end, err)
	}
	next, end2, err := NextCommand(recs, end)
	if err != nil || end2 != 977300*time.Microsecond {
		t.Fatalf("second command ends at %v, %v", end2, err)
	}
	want = []time.Duration{300 * time.Microsecond, time.Millisecond, 4 * time.Millisecond, time.Millisecond, time.Millisecond, 7300 * time.Microsecond,
		100 * time.Microsecond, 100 * time.Microsecond}
	for i, p := range next {
		if p.D != want[i] {
			t.Errorf("second command phase %q = %v, want %v", p.Name, p.D, want[i])
		}
	}
	if _, _, err := NextCommand(recs, end2); err == nil {
		t.Error("a third command found")
	}
}

func TestPhasesErrors(t *testing.T) {
	if _, err := ParseTimeline("$ cat\nnothing here\n"); err == nil {
		t.Error("no records accepted")
	}
	recs, _ := ParseTimeline("1 M - - kernel entry\n")
	if _, err := BootPhases(recs); err == nil {
		t.Error("missing points accepted")
	}
	if _, err := CommandPhases(recs, 0); err == nil {
		t.Error("missing command accepted")
	}
	full, _ := ParseTimeline(sample)
	if _, err := CommandPhases(full, time.Second); err == nil {
		t.Error("a command after the timeline's end accepted")
	}
}

// With the warm-up's two points, the phase before the spawn splits in three.
func TestBootPhasesWarmUp(t *testing.T) {
	warm := strings.Replace(sample, "655000000 M - - spawn /bin/init\n",
		"651000000 M - - live patching warm-up\n654000000 M - - live patching warmed\n655000000 M - - spawn /bin/init\n", 1)
	_, boot := bootPhases(t, warm)
	ms := time.Millisecond
	want := []Phase{
		{"power-on → kernel entry (firmware, loader)", 400 * ms},
		{"kernel entry → kernel main (trap tier, Go runtime)", 200 * ms},
		{"initrd mount", 10 * ms},
		{"live patching start", 40 * ms},
		{"/proc, console", 1 * ms},
		{"live patching warm-up (function table, symbols)", 3 * ms},
		{"spawn", 1 * ms},
		{"/bin/init start → shell's execve", 1 * ms},
		{"/bin/sh start → first prompt", 44 * ms},
	}
	if !slices.Equal(boot, want) {
		t.Errorf("boot phases\n%v\nwant\n%v", boot, want)
	}
}
