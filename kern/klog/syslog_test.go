package klog

import (
	"strings"
	"testing"
	"time"
)

func TestClockAndFormats(t *testing.T) {
	c := Clock{Hz: 1000, Boot: 500}
	if d := c.Since(2750); d != 2250*time.Millisecond {
		t.Errorf("since = %v", d)
	}
	if d := c.Since(100); d != 0 {
		t.Errorf("before boot = %v", d)
	}
	l := Line{Seq: 7, Level: 6, TSC: 1500, Text: "a\tb\\"}
	if got := SyslogLine(l, c); got != "<6>[    1.000000] a\tb\\\n" {
		t.Errorf("syslog line %q", got)
	}
	if got := KmsgLine(l, c); got != "6,7,1000000,-;a\\x09b\\x5c\n" {
		t.Errorf("kmsg line %q", got)
	}
	if got := StripSyslog("<6>[    1.000000] a\n<12>x\nplain\n"); got != "[    1.000000] a\nx\nplain\n" {
		t.Errorf("strip %q", got)
	}
}

func TestSyslogActions(t *testing.T) {
	var r Ring
	s := &Syslog{Ring: &r, Clock: func() Clock { return Clock{Hz: 1, Boot: 0} }}
	write(&r, Notice, 1, "one\ntwo\n")
	if got := string(s.ReadAll(1<<16, false)); got != "<5>[    1.000000] one\n<5>[    1.000000] two\n" {
		t.Fatalf("read all %q", got)
	}
	if got := string(s.ReadAll(25, false)); got != "<5>[    1.000000] two\n" {
		t.Errorf("read all, small buffer: %q (the newest lines that fit)", got)
	}
	if n := s.SizeUnread(); n != 44 {
		t.Errorf("unread %d", n)
	}
	if got := string(s.Read(30)); got != "<5>[    1.000000] one\n" {
		t.Errorf("read %q", got)
	}
	if got := string(s.Read(5)); got != "<5>[ " {
		t.Errorf("read, tiny buffer: %q", got)
	}
	if n := s.SizeUnread(); n != 0 {
		t.Errorf("unread after reading %d", n)
	}
	if got := string(s.ReadAll(1<<16, true)); !strings.Contains(got, "two") {
		t.Errorf("read-clear %q", got)
	}
	if got := s.ReadAll(1<<16, false); len(got) != 0 {
		t.Errorf("after clear: %q", got)
	}
	write(&r, Notice, 2, "three\n")
	if got := string(s.ReadAll(1<<16, false)); got != "<5>[    2.000000] three\n" {
		t.Errorf("after clear, a new line: %q", got)
	}
	s.Clear()
	if got := s.ReadAll(1<<16, false); len(got) != 0 {
		t.Errorf("after CLEAR: %q", got)
	}
}

func TestSyslogConsole(t *testing.T) {
	var r Ring
	s := &Syslog{Ring: &r}
	if s.Console(ActionConsoleLevel, 9) || s.Console(ActionConsoleLevel, 0) || s.Console(ActionRead, 0) {
		t.Fatal("bad console requests accepted")
	}
	s.Console(ActionConsoleLevel, 3)
	s.Console(ActionConsoleOff, 0)
	if r.ConsoleLevel() != 1 {
		t.Errorf("off: level %d", r.ConsoleLevel())
	}
	s.Console(ActionConsoleOn, 0)
	if r.ConsoleLevel() != 3 {
		t.Errorf("on again: level %d", r.ConsoleLevel())
	}
}
