package tstamp

import (
	"bytes"
	"strings"
	"testing"
)

func TestLogOffRecordsNothing(t *testing.T) {
	l := NewLog(4, func() uint64 { return 1 })
	l.Mark("x")
	l.Syscall(1, 1, 3, 0, false)
	if n := len(l.Records()); n != 0 {
		t.Fatalf("off log has %d records", n)
	}
	var nilLog *Log
	nilLog.Mark("x") // no panic
	var k Log
	k.Mark("x")
	k.Start(2, func() uint64 { return 7 })
	k.Mark("y")
	if r := k.Records(); len(r) != 1 || r[0].TSC != 7 || r[0].Name != "y" {
		t.Errorf("started log: %+v", r)
	}
}

func TestLogFormatAndCapacity(t *testing.T) {
	tsc := uint64(0)
	l := NewLog(4, func() uint64 { tsc += 2000; return tsc })
	l.On = true
	l.Mark("main")
	l.MarkAt("early", 1000)
	l.Syscall(7, 8, 11, 0, false)
	l.Syscall(7, 8, 11, -2, true)
	l.Mark("dropped")
	var b bytes.Buffer
	if err := l.Format(&b, 1e9); err != nil {
		t.Fatal(err)
	}
	want := "# tstamp hz=1000000000 records=4 dropped=1\n" +
		"2000 M - - main\n" +
		"1000 M - - early\n" +
		"4000 E 7 8 11 0\n" +
		"6000 X 7 8 11 -2\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	if !strings.Contains(b.String(), "dropped=1") {
		t.Error("drop not counted")
	}
}

func TestNanos(t *testing.T) {
	for _, c := range []struct{ tsc, hz, want uint64 }{
		{0, 1e9, 0},
		{3e9, 3e9, 1e9},
		{1<<63 + 5, 2e9, (1<<63+5)/2000000000*1000000000 + (1<<63+5)%2000000000*1000000000/2000000000},
		{5, 0, 0},
	} {
		if got := Nanos(c.tsc, c.hz); got != c.want {
			t.Errorf("Nanos(%d, %d) = %d, want %d", c.tsc, c.hz, got, c.want)
		}
	}
}
