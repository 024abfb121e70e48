package klog

import (
	"strings"
	"testing"
)

// write is one writer's output, returning what it echoed.
func write(r *Ring, level uint8, tsc uint64, s string) string {
	var echo strings.Builder
	r.Begin(level, tsc)
	for i := 0; i < len(s); i++ {
		if r.Put(s[i]) {
			echo.WriteByte(s[i])
		}
	}
	r.End()
	return echo.String()
}

func texts(ls []Line) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Text)
	}
	return out
}

func TestLinesAndLevels(t *testing.T) {
	var r Ring
	if got := write(&r, Notice, 10, "gojos 0.1\nsecond\n"); got != "gojos 0.1\nsecond\n" {
		t.Errorf("echo = %q", got)
	}
	if got := write(&r, Notice, 20, "\x016kpatch: patched a -> b\n"); got != "" {
		t.Errorf("an info line was echoed: %q", got)
	}
	if got := write(&r, Notice, 30, "\x013gojos: oops\n"); got != "gojos: oops\n" {
		t.Errorf("an error line: echo %q", got)
	}
	ls := Lines(r.Records())
	want := []string{"gojos 0.1", "second", "kpatch: patched a -> b", "gojos: oops"}
	if strings.Join(texts(ls), "|") != strings.Join(want, "|") {
		t.Fatalf("lines = %q, want %q", texts(ls), want)
	}
	levels := []int{Notice, Notice, Info, Err}
	for i, l := range ls {
		if l.Level != levels[i] || !l.Complete || l.Seq != uint32(i) {
			t.Errorf("line %d = %+v, want level %d, complete, seq %d", i, l, levels[i], i)
		}
	}
	if ls[2].TSC != 20 {
		t.Errorf("tsc = %d", ls[2].TSC)
	}
}

func TestPartialLinesContinue(t *testing.T) {
	var r Ring
	write(&r, Warning, 1, "test2 ")
	write(&r, Warning, 2, "address: 0x7d6000")
	write(&r, Warning, 3, "\nnext\n")
	ls := Lines(r.Records())
	if got := strings.Join(texts(ls), "|"); got != "test2 address: 0x7d6000|next" {
		t.Fatalf("lines = %q", got)
	}
	if ls[0].TSC != 1 || ls[1].TSC != 3 {
		t.Errorf("timestamps %d %d, want the line's first record's", ls[0].TSC, ls[1].TSC)
	}
}

// An abandoned writer (a kprintf unwound by a fault) leaves an open
// record; the next writer commits it.
func TestAbandonedWriter(t *testing.T) {
	var r Ring
	r.Begin(Warning, 1)
	for _, c := range []byte("half a line") {
		r.Put(c)
	}
	if n := len(r.Records()); n != 0 {
		t.Fatalf("an open record is visible: %d records", n)
	}
	write(&r, Notice, 2, "\x013after\n")
	ls := Lines(r.Records())
	if got := strings.Join(texts(ls), "|"); got != "half a line|after" {
		t.Fatalf("lines = %q", got)
	}
}

func TestLongLinesSplit(t *testing.T) {
	var r Ring
	long := strings.Repeat("x", 2*MaxLine+10)
	write(&r, Notice, 1, long+"\n")
	recs := r.Records()
	if len(recs) != 3 || !recs[1].Cont || !recs[2].Newline {
		t.Fatalf("records: %d", len(recs))
	}
	ls := Lines(recs)
	if len(ls) != 1 || ls[0].Text != long {
		t.Fatalf("lines: %d", len(ls))
	}
}

func TestWrapDropsOldest(t *testing.T) {
	var r Ring
	for i := 0; i < 5000; i++ {
		write(&r, Notice, uint64(i), strings.Repeat("y", i%100)+"\n")
	}
	recs := r.Records()
	if len(recs) == 0 || recs[len(recs)-1].Seq != 4999 {
		t.Fatalf("newest record missing: %d records", len(recs))
	}
	total := 0
	for i, rec := range recs {
		total += hdrSize + len(rec.Text)
		if i > 0 && rec.Seq != recs[i-1].Seq+1 {
			t.Fatalf("gap at %d", i)
		}
		if want := strings.Repeat("y", int(rec.Seq)%100); rec.Text != want {
			t.Fatalf("record %d corrupt", rec.Seq)
		}
	}
	if total > Size || total < Size-hdrSize-MaxLine {
		t.Errorf("ring holds %d bytes of %d", total, Size)
	}
}

func TestPositionsWrapAround(t *testing.T) {
	var r Ring
	r.tail, r.head = 0xFFFFFF00, 0xFFFFFF00
	for i := 0; i < 100; i++ {
		write(&r, Notice, 0, "abcdefgh\n")
	}
	if n := len(r.Records()); n != 100 {
		t.Fatalf("%d records across the wrap", n)
	}
}

func TestConsoleLevel(t *testing.T) {
	var r Ring
	if r.ConsoleLevel() != DefaultConsoleLevel {
		t.Fatalf("default %d", r.ConsoleLevel())
	}
	r.SetConsoleLevel(8)
	if got := write(&r, Notice, 0, "\x017debug\n"); got != "debug\n" {
		t.Errorf("level 8 echoes debug: %q", got)
	}
	r.SetConsoleLevel(1)
	if got := write(&r, Notice, 0, "plain\n\x010emerg\n"); got != "emerg\n" {
		t.Errorf("level 1 echoed %q, want only the emergency", got)
	}
	write(&r, Notice, 0, "\x010unterminated ")
	if got := write(&r, Notice, 0, "\x01crest\n"); got != "rest\n" {
		t.Errorf("KERN_CONT continues the line's level: echo %q", got)
	}
	if ls := Lines(r.Records()); ls[len(ls)-1].Text != "unterminated rest" {
		t.Errorf("KERN_CONT line %q", ls[len(ls)-1].Text)
	}
}

// writeRuns is write with Run taking the text between newlines, as the
// trap tier's logWrite does.
func writeRuns(r *Ring, level uint8, tsc uint64, s string) string {
	var echo strings.Builder
	r.Begin(level, tsc)
	for i := 0; i < len(s); {
		if r.Put(s[i]) {
			echo.WriteByte(s[i])
		}
		i++
		k, e := r.Run([]byte(s[i:]))
		if e {
			echo.WriteString(s[i : i+k])
		}
		i += k
	}
	r.End()
	return echo.String()
}

// Run leaves the ring and the echo exactly as Put byte by byte does: level
// prefixes, continued and over-long lines, wrap-around.
func TestRunIsPut(t *testing.T) {
	long := strings.Repeat("x", 3*MaxLine/2)
	outputs := []string{"gojos 0.1\nsecond\n", "\x016kpatch: patched a -> b\n", "\x013oops\n", "partial", " line\n",
		long + "\n", "\x01", "7debug\n", "a\n\nb", "\x01c cont\n", long, "\n", ""}
	var byByte, byRun Ring
	for round := 0; round < 60; round++ { // enough to wrap the ring
		for i, o := range outputs {
			level := uint8(i % 8)
			tsc := uint64(round*100 + i)
			if a, b := write(&byByte, level, tsc, o), writeRuns(&byRun, level, tsc, o); a != b {
				t.Fatalf("round %d, %q: echo %q by byte, %q by run", round, o, a, b)
			}
		}
		if byByte != byRun {
			t.Fatalf("round %d: the rings differ", round)
		}
	}
	if byByte.tail == 0 {
		t.Error("the ring never wrapped")
	}
}
