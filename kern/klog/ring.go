package klog

import (
	"bytes"
	"sync/atomic"
)

// Size is the ring's size in bytes, fixed at build time: records (a
// 16-byte header and up to MaxLine bytes of text) are appended at the head
// and the oldest are dropped to make room.
const Size = 64 << 10

// MaxLine is the most text one record holds; a longer line continues in
// the next record (flagged Cont), as Linux splits over-long printk lines.
const MaxLine = 1024

const (
	mask    = Size - 1
	hdrSize = 16 // text length u16, level u8, flags u8, sequence u32, TSC u64
	soh     = 0x01

	flagCont    = 1 // continues the previous record's line
	flagNewline = 2 // the line ended here
)

// Ring is a kernel log. Writers are the trap tier (the kernel's standard
// output and error) and module kprintf, both running with interrupts off
// on the one CPU, so they never overlap each other; they are nosplit and
// take no locks, so a C module's kprintf can append from the module stack.
// A writer brackets its bytes with Begin and End and echoes each byte Put
// says to echo.
//
// Readers are ordinary Go code (interrupts on). They copy the committed
// records and retry if a writer ran meanwhile (every Begin bumps gen), so
// they see either all of a writer's records or none of them.
type Ring struct {
	buf  [Size]byte
	tail uint32 // start of the oldest record (positions grow without bound, mod 2^32)
	head uint32 // end of the newest committed record
	seq  uint32 // sequence number of the next record
	gen  uint32 // bumped by every Begin

	consoleLevel uint32 // lines of a level below this are echoed; 0: DefaultConsoleLevel

	// The current writer's state.
	open      bool   // a record is being filled at head
	n         uint32 // its text length so far
	level     uint8  // its level
	flags     uint8  // its flags
	echo      bool   // its bytes are echoed
	callLevel uint8  // level of what this writer puts (Begin's, or set by SOH)
	sohState  uint8  // 1: SOH seen at the start of a line; the level follows
	callStart bool   // nothing Put since Begin
	tsc       uint64 // timestamp of this writer's records
	lineOpen  bool   // the newest record did not end its line
	lastLevel uint8  // level of the newest record (continuations keep it)
	lastEcho  bool   // whether the newest record was echoed
}

// DefaultConsoleLevel: lines of levels 0–5 (emergency … notice) are echoed
// to the console, info and debug lines are only logged (Linux's
// console_loglevel; syslog(2) action 8 changes it).
const DefaultConsoleLevel = 6

// Begin starts a writer's output at level (the default for lines without
// a level prefix) with timestamp tsc. A writer that never called End (a
// module's kprintf unwound by a fault) is finished first.
//
//go:nosplit
func (r *Ring) Begin(level uint8, tsc uint64) {
	atomic.AddUint32(&r.gen, 1)
	r.End()
	r.callLevel = level & 7
	r.tsc = tsc
	r.sohState = 0
	r.callStart = true
}

// Put appends one byte of output and reports whether to echo it. A line
// may start with Linux's KERN_SOH (0x01) and a level digit '0'–'7'
// (KERN_ERR is "\x013"); the two bytes set the level and are not echoed.
// A line is echoed when its level is below the console level. Output
// that does not start a line continues the newest record's line, unless
// it starts with a level prefix (as Linux, where only KERN_CONT, "\x01c",
// continues a line).
//
//go:nosplit
func (r *Ring) Put(c byte) bool {
	start := r.callStart
	r.callStart = false
	if !r.open {
		if r.sohState == 1 {
			r.sohState = 0
			if c >= '0' && c <= '7' {
				r.callLevel = c - '0'
				r.lineOpen = false
			}
			return false
		}
		if c == soh && (start || !r.lineOpen) {
			r.sohState = 1
			return false
		}
		r.openRecord()
	}
	if c == '\n' {
		r.flags |= flagNewline
		r.commit()
		return r.lastEcho
	}
	pos := r.head + hdrSize + r.n
	r.reserve(pos + 1)
	r.buf[pos&mask] = c
	r.n++
	echo := r.echo
	if r.n == MaxLine {
		r.commit()
	}
	return echo
}

// Run appends the bytes of b before its first newline to the record being
// filled, exactly as Put would one at a time, and returns how many it took
// and whether they are echoed. It takes nothing unless a record is open
// (Put opens one, after any level prefix), and it stops where a record is
// full, so the caller passes the next byte to Put again. A writer copies a
// line's text at once instead of appending byte by byte.
//
//go:nosplit
func (r *Ring) Run(b []byte) (int, bool) {
	if !r.open {
		return 0, false
	}
	k := bytes.IndexByte(b, '\n') // the assembly scan: a byte loop was most of a log write
	if k < 0 {
		k = len(b)
	}
	k = min(k, int(MaxLine-r.n))
	if k == 0 {
		return 0, false
	}
	r.callStart = false
	pos := r.head + hdrSize + r.n
	r.reserve(pos + uint32(k))
	m := copy(r.buf[pos&mask:], b[:k])
	copy(r.buf[:], b[m:k])
	r.n += uint32(k)
	echo := r.echo
	if r.n == MaxLine {
		r.commit()
	}
	return k, echo
}

// End finishes the writer's output: a partial line becomes a record that
// the next output continues.
//
//go:nosplit
func (r *Ring) End() {
	if r.open && r.n > 0 {
		r.commit()
	}
	r.open = false
}

//go:nosplit
func (r *Ring) openRecord() {
	r.open = true
	r.n = 0
	r.flags = 0
	r.level = r.callLevel
	if r.lineOpen {
		r.flags = flagCont
		r.level = r.lastLevel
	}
	r.echo = int(r.level) < r.ConsoleLevel()
	if r.lineOpen {
		r.echo = r.lastEcho
	}
	r.reserve(r.head + hdrSize)
}

// commit writes the open record's header and makes it visible.
//
//go:nosplit
func (r *Ring) commit() {
	p := r.head
	r.put16(p, uint16(r.n))
	r.buf[(p+2)&mask] = r.level
	r.buf[(p+3)&mask] = r.flags
	r.put32(p+4, r.seq)
	r.put32(p+8, uint32(r.tsc))
	r.put32(p+12, uint32(r.tsc>>32))
	r.seq++
	r.head = p + hdrSize + r.n
	r.lineOpen = r.flags&flagNewline == 0
	r.lastLevel = r.level
	r.lastEcho = r.echo
	r.open = false
	r.n = 0
}

// reserve drops the oldest records until [tail, end) fits in the ring.
//
//go:nosplit
func (r *Ring) reserve(end uint32) {
	for end-r.tail > Size && r.tail != r.head {
		r.tail += hdrSize + uint32(r.get16(r.tail))
	}
}

//go:nosplit
func (r *Ring) put16(p uint32, v uint16) {
	r.buf[p&mask] = byte(v)
	r.buf[(p+1)&mask] = byte(v >> 8)
}

//go:nosplit
func (r *Ring) put32(p, v uint32) {
	r.put16(p, uint16(v))
	r.put16(p+2, uint16(v>>16))
}

//go:nosplit
func (r *Ring) get16(p uint32) uint16 {
	return uint16(r.buf[p&mask]) | uint16(r.buf[(p+1)&mask])<<8
}

// ConsoleLevel returns the console log level.
//
//go:nosplit
func (r *Ring) ConsoleLevel() int {
	if l := atomic.LoadUint32(&r.consoleLevel); l != 0 {
		return int(l)
	}
	return DefaultConsoleLevel
}

// SetConsoleLevel sets the console log level (1–8: lines below it are
// echoed), as syslog(2)'s SYSLOG_ACTION_CONSOLE_LEVEL. The writers pick it
// up at their next line.
func (r *Ring) SetConsoleLevel(level int) {
	atomic.StoreUint32(&r.consoleLevel, uint32(level))
}
