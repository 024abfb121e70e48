package proc

import "encoding/binary"

// Termios is the console's struct termios, in the Linux i386 kernel layout
// (TCGETS/TCSETS move 36 bytes). The console is raw — nothing echoes or
// edits input, programs do — so of its settings the line discipline acts
// on ISIG (the VINTR and VQUIT characters send SIGINT and SIGQUIT to the
// foreground process group) and NOFLSH (keep typed-ahead input when it
// does); the rest is stored and reported.
type Termios struct {
	Iflag, Oflag, Cflag, Lflag uint32
	Line                       uint8
	Cc                         [19]uint8
}

// TermiosSize is the size of struct termios on Linux i386.
const TermiosSize = 36

// Termios flags and control characters (Linux's values).
const (
	ISIG   = 0x1
	ICANON = 0x2
	ECHO   = 0x8
	NOFLSH = 0x80

	VINTR  = 0
	VQUIT  = 1
	VERASE = 2
	VKILL  = 3
	VEOF   = 4
	VMIN   = 6

	cs8    = 0x30
	cread  = 0x80
	b38400 = 0xf
)

// DefaultTermios is the console's mode at boot: raw (no ICANON, no ECHO)
// with ISIG, Ctrl-C (0x03) as VINTR and Ctrl-\ (0x1c) as VQUIT.
func DefaultTermios() Termios {
	t := Termios{Cflag: b38400 | cs8 | cread, Lflag: ISIG}
	t.Cc[VINTR], t.Cc[VQUIT], t.Cc[VERASE], t.Cc[VKILL], t.Cc[VEOF], t.Cc[VMIN] = 0x03, 0x1c, 0x7f, 0x15, 0x04, 1
	return t
}

// Bytes encodes t as struct termios.
func (t Termios) Bytes() []byte {
	b := make([]byte, TermiosSize)
	binary.LittleEndian.PutUint32(b[0:], t.Iflag)
	binary.LittleEndian.PutUint32(b[4:], t.Oflag)
	binary.LittleEndian.PutUint32(b[8:], t.Cflag)
	binary.LittleEndian.PutUint32(b[12:], t.Lflag)
	b[16] = t.Line
	copy(b[17:], t.Cc[:])
	return b
}

// ParseTermios decodes struct termios (b holds at least TermiosSize bytes).
func ParseTermios(b []byte) Termios {
	t := Termios{
		Iflag: binary.LittleEndian.Uint32(b[0:]),
		Oflag: binary.LittleEndian.Uint32(b[4:]),
		Cflag: binary.LittleEndian.Uint32(b[8:]),
		Lflag: binary.LittleEndian.Uint32(b[12:]),
		Line:  b[16],
	}
	copy(t.Cc[:], b[17:TermiosSize])
	return t
}

// signalFor returns the signal input byte c raises under t (0 for none).
// A control character of 0 is disabled (_POSIX_VDISABLE).
func (t *Termios) signalFor(c byte) int {
	if t.Lflag&ISIG == 0 || c == 0 {
		return 0
	}
	switch c {
	case t.Cc[VINTR]:
		return 2 // SIGINT
	case t.Cc[VQUIT]:
		return 3 // SIGQUIT
	}
	return 0
}
