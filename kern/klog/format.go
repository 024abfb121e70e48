package klog

import (
	"fmt"
	"strings"
	"time"
)

// Clock converts TSC readings to time since boot: Hz is the calibrated TSC
// rate, Boot the TSC when the kernel started.
type Clock struct{ Hz, Boot uint64 }

// Since returns the time between boot and a TSC reading (0 before boot or
// without a calibration).
func (c Clock) Since(tsc uint64) time.Duration {
	if c.Hz == 0 || tsc < c.Boot {
		return 0
	}
	d := tsc - c.Boot
	return time.Duration(d/c.Hz)*time.Second + time.Duration(d%c.Hz*uint64(time.Second)/c.Hz)
}

// Stamp formats a time since boot as Linux's printk does: "[    1.234567]".
func Stamp(d time.Duration) string {
	us := d.Microseconds()
	return fmt.Sprintf("[%5d.%06d]", us/1e6, us%1e6)
}

// SyslogLine formats a line as syslog(2) returns it: "<6>[    1.234567] text\n".
func SyslogLine(l Line, c Clock) string {
	return fmt.Sprintf("<%d>%s %s\n", l.Level, Stamp(c.Since(l.TSC)), l.Text)
}

// KmsgLine formats a line as a read of /dev/kmsg returns it:
// "level,seq,microseconds,-;text\n", with non-printable bytes (and
// backslashes) escaped as \xNN.
func KmsgLine(l Line, c Clock) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d,%d,%d,-;", l.Level, l.Seq, c.Since(l.TSC).Microseconds())
	for i := 0; i < len(l.Text); i++ {
		ch := l.Text[i]
		if ch < 0x20 || ch >= 0x7f || ch == '\\' {
			fmt.Fprintf(&b, "\\x%02x", ch)
			continue
		}
		b.WriteByte(ch)
	}
	b.WriteByte('\n')
	return b.String()
}

// StripSyslog turns syslog(2) text into what dmesg prints: without the
// "<N>" level prefixes.
func StripSyslog(text string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(text, "\n") {
		if len(line) > 2 && line[0] == '<' {
			if i := strings.IndexByte(line, '>'); i > 1 && i <= 4 {
				line = line[i+1:]
			}
		}
		b.WriteString(line)
	}
	return b.String()
}
