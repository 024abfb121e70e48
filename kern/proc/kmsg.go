package proc

import (
	"io/fs"
	"strings"
	"sync"
	"time"

	"gojos/kern/abi/linux"
	"gojos/kern/klog"
)

// The kernel log for user space: syslog(2) (what dmesg uses) and
// /dev/kmsg, one record per read.

// syslogAllowed is the one place syslog(2)'s privilege rule lives. As on
// Linux with dmesg_restrict=1: anyone may open, close and ask the log's
// size; reading it (it holds kernel and module addresses, which
// unprivileged users do not see: kptr.go), clearing it (dmesg -c, -C) and
// the console level need euid 0 (CAP_SYSLOG).
func (t *Thread) syslogAllowed(action int32) bool {
	switch action {
	case klog.ActionClose, klog.ActionOpen, klog.ActionSizeBuffer:
		return true
	}
	c := t.P.Cred()
	return c.Privileged()
}

// logPoll is how often a reader waiting for new log lines looks again
// (the writers run with interrupts off and cannot wake Go code).
const logPoll = 50 * time.Millisecond

// sysSyslog is syslog(2): action, buffer, length (or the console level).
func (t *Thread) sysSyslog(action int32, buf, n uint32) int32 {
	if deps.KernelLog == nil {
		return -linux.ENOSYS
	}
	if action < klog.ActionClose || action > klog.ActionSizeBuffer {
		return -linux.EINVAL
	}
	if !t.syslogAllowed(action) {
		return -linux.EPERM
	}
	switch action {
	case klog.ActionClose, klog.ActionOpen:
		return 0
	case klog.ActionRead, klog.ActionReadAll, klog.ActionReadClear:
		if buf == 0 || int32(n) < 0 {
			return -linux.EINVAL
		}
		if n == 0 {
			return 0
		}
		if !userRange(buf, n) {
			return -linux.EFAULT
		}
		var text []byte
		if action == klog.ActionRead {
			for {
				cancel := t.waitCh()
				if text = deps.KernelLog.Read(int(n)); len(text) > 0 {
					break
				}
				tm := time.NewTimer(logPoll)
				select {
				case <-tm.C:
				case <-cancel:
					tm.Stop()
					return t.waitErr()
				}
			}
		} else {
			text = deps.KernelLog.ReadAll(int(n), action == klog.ActionReadClear)
		}
		return errnoOr(t.P.as.CopyOut(buf, text), int32(len(text)))
	case klog.ActionClear:
		deps.KernelLog.Clear()
		return 0
	case klog.ActionConsoleOff, klog.ActionConsoleOn, klog.ActionConsoleLevel:
		if !deps.KernelLog.Console(int(action), int(int32(n))) {
			return -linux.EINVAL
		}
		return 0
	case klog.ActionSizeUnread:
		return int32(deps.KernelLog.SizeUnread())
	}
	return klog.Size // ActionSizeBuffer
}

// kmsgFile is an open /dev/kmsg: each read returns the next record
// ("level,seq,usec,-;text\n"), waiting for one at the end; EPIPE once if
// records were overwritten before they were read. A write logs one line
// (an optional "<N>" prefix gives its level; KERN_INFO by default).
type kmsgFile struct {
	mu      sync.Mutex
	next    uint32 // the sequence number to read next
	started bool
}

func (f *kmsgFile) Read(p []byte) (int, error) { return f.ReadCancel(p, nil) }

func (f *kmsgFile) ReadCancel(p []byte, cancel <-chan struct{}) (int, error) {
	if deps.KernelLog == nil {
		return 0, linux.Errno(linux.ENOSYS)
	}
	for {
		f.mu.Lock()
		ls := klog.Lines(deps.KernelLog.Ring.Records())
		if !f.started && len(ls) > 0 {
			f.next, f.started = ls[0].Seq, true
		}
		if len(ls) > 0 && int32(ls[0].Seq-f.next) > 0 {
			f.next = ls[0].Seq
			f.mu.Unlock()
			return 0, linux.Errno(linux.EPIPE)
		}
		for i, l := range ls {
			if int32(l.Seq-f.next) < 0 || (!l.Complete && i == len(ls)-1) {
				continue
			}
			text := klog.KmsgLine(l, deps.KernelLog.Clock())
			if len(text) > len(p) {
				f.mu.Unlock()
				return 0, linux.Errno(linux.EINVAL)
			}
			f.next = l.Next
			f.mu.Unlock()
			return copy(p, text), nil
		}
		f.mu.Unlock()
		tm := time.NewTimer(logPoll)
		select {
		case <-tm.C:
		case <-cancel:
			tm.Stop()
			return 0, linux.Errno(linux.EINTR)
		}
	}
}

func (f *kmsgFile) Write(p []byte) (int, error) {
	text := strings.TrimRight(string(p), "\n")
	level := klog.Info
	if len(text) >= 3 && text[0] == '<' {
		if i := strings.IndexByte(text, '>'); i > 1 && i <= 4 {
			n := 0
			for _, c := range text[1:i] {
				if c < '0' || c > '9' {
					n = -1
					break
				}
				n = n*10 + int(c-'0')
			}
			if n >= 0 {
				level, text = n&7, text[i+1:]
			}
		}
	}
	klog.Printf(level, "%s\n", strings.ReplaceAll(text, "\n", " "))
	return len(p), nil
}

func (f *kmsgFile) Close() error { return nil }
func (f *kmsgFile) Stat() (fs.FileInfo, error) {
	return fakeInfo{"kmsg", 0, fs.ModeDevice | fs.ModeCharDevice | 0o644}, nil
}
