package klog

import (
	"runtime"
	"sync/atomic"
)

// Record is one record of the ring: a line, or a piece of one.
type Record struct {
	Seq     uint32
	Level   int
	Cont    bool // continues the previous record's line
	Newline bool // the line ended with it
	TSC     uint64
	Text    string
}

// Records returns a consistent copy of the ring's records, oldest first.
func (r *Ring) Records() []Record {
	tmp := make([]byte, Size)
	for try := 0; ; try++ {
		g := atomic.LoadUint32(&r.gen)
		tail, head := atomic.LoadUint32(&r.tail), atomic.LoadUint32(&r.head)
		copy(tmp, r.buf[:])
		if atomic.LoadUint32(&r.gen) == g {
			return parse(tmp, tail, head)
		}
		if try%16 == 15 {
			runtime.Gosched()
		}
	}
}

// parse decodes the records in [tail, head) of a copy of the ring.
func parse(b []byte, tail, head uint32) []Record {
	at := func(p uint32) uint32 { return uint32(b[p&mask]) }
	var out []Record
	for p := tail; p != head; {
		if head-p < hdrSize {
			break
		}
		n := at(p) | at(p+1)<<8
		if n > MaxLine || head-p-hdrSize < n {
			break
		}
		rec := Record{
			Seq:     at(p+4) | at(p+5)<<8 | at(p+6)<<16 | at(p+7)<<24,
			Level:   int(at(p + 2)),
			Cont:    at(p+3)&flagCont != 0,
			Newline: at(p+3)&flagNewline != 0,
		}
		for i := uint32(0); i < 8; i++ {
			rec.TSC |= uint64(at(p+8+i)) << (8 * i)
		}
		text := make([]byte, n)
		for i := range text {
			text[i] = b[(p+hdrSize+uint32(i))&mask]
		}
		rec.Text = string(text)
		out = append(out, rec)
		p += hdrSize + n
	}
	return out
}

// Line is a whole line of the log: a record and its continuations.
type Line struct {
	Seq      uint32 // the first record's
	Next     uint32 // the sequence number after the line's last record
	Level    int
	TSC      uint64
	Text     string
	Complete bool // ended with a newline
}

// Lines joins records into lines.
func Lines(recs []Record) []Line {
	var out []Line
	for _, r := range recs {
		if n := len(out); r.Cont && n > 0 && !out[n-1].Complete && out[n-1].Next == r.Seq {
			out[n-1].Text += r.Text
			out[n-1].Next = r.Seq + 1
			out[n-1].Complete = r.Newline
			continue
		}
		out = append(out, Line{Seq: r.Seq, Next: r.Seq + 1, Level: r.Level, TSC: r.TSC, Text: r.Text, Complete: r.Newline})
	}
	return out
}
