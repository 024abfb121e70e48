package klog

import "sync"

// Actions of syslog(2) (Linux's SYSLOG_ACTION_*).
const (
	ActionClose        = 0
	ActionOpen         = 1
	ActionRead         = 2
	ActionReadAll      = 3
	ActionReadClear    = 4
	ActionClear        = 5
	ActionConsoleOff   = 6
	ActionConsoleOn    = 7
	ActionConsoleLevel = 8
	ActionSizeUnread   = 9
	ActionSizeBuffer   = 10
)

// Syslog is the state syslog(2) keeps over a ring: where READ_ALL starts
// (CLEAR moves it past every line logged so far) and where READ continues.
type Syslog struct {
	Ring  *Ring
	Clock func() Clock

	mu        sync.Mutex
	clearSeq  uint32
	readSeq   uint32
	savedCons int // console level before CONSOLE_OFF (0: not off)
}

// after reports whether sequence number a is at or after b (mod 2^32).
func after(a, b uint32) bool { return int32(a-b) >= 0 }

func (s *Syslog) lines(from uint32) []Line {
	var out []Line
	for _, l := range Lines(s.Ring.Records()) {
		if after(l.Seq, from) {
			out = append(out, l)
		}
	}
	return out
}

func (s *Syslog) clock() Clock {
	if s.Clock == nil {
		return Clock{}
	}
	return s.Clock()
}

// ReadAll returns the newest whole lines logged since the last clear that
// fit in n bytes, in syslog(2) format; with clear, it also clears.
func (s *Syslog) ReadAll(n int, clear bool) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	ls := s.lines(s.clearSeq)
	c := s.clock()
	texts := make([]string, len(ls))
	total, first := 0, len(ls)
	for i := len(ls) - 1; i >= 0; i-- {
		texts[i] = SyslogLine(ls[i], c)
		if total+len(texts[i]) > n {
			break
		}
		total += len(texts[i])
		first = i
	}
	out := make([]byte, 0, total)
	for _, t := range texts[first:] {
		out = append(out, t...)
	}
	if clear && len(ls) > 0 {
		s.clearSeq = ls[len(ls)-1].Next
	}
	return out
}

// Clear makes READ_ALL start after every line logged so far.
func (s *Syslog) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ls := Lines(s.Ring.Records()); len(ls) > 0 {
		s.clearSeq = ls[len(ls)-1].Next
	}
}

// Read returns up to n bytes of the lines not read yet (whole lines while
// they fit, at least part of one) and marks them read; nothing when every
// line has been read.
func (s *Syslog) Read(n int) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.clock()
	var out []byte
	for _, l := range s.lines(s.readSeq) {
		t := SyslogLine(l, c)
		if len(out)+len(t) > n {
			if len(out) == 0 {
				out = append(out, t[:n]...)
				s.readSeq = l.Next
			}
			break
		}
		out = append(out, t...)
		s.readSeq = l.Next
	}
	return out
}

// SizeUnread returns the number of bytes Read would return with no limit.
func (s *Syslog) SizeUnread() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.clock()
	n := 0
	for _, l := range s.lines(s.readSeq) {
		n += len(SyslogLine(l, c))
	}
	return n
}

// Console changes what is echoed: off (only emergencies, as Linux's
// CONSOLE_OFF), back on, or a level 1–8 (lines below it are echoed).
func (s *Syslog) Console(action, level int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch action {
	case ActionConsoleOff:
		if s.savedCons == 0 {
			s.savedCons = s.Ring.ConsoleLevel()
		}
		s.Ring.SetConsoleLevel(1)
	case ActionConsoleOn:
		if s.savedCons != 0 {
			s.Ring.SetConsoleLevel(s.savedCons)
			s.savedCons = 0
		}
	case ActionConsoleLevel:
		if level < 1 || level > 8 {
			return false
		}
		s.Ring.SetConsoleLevel(level)
		s.savedCons = 0
	default:
		return false
	}
	return true
}
