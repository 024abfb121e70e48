package linux

// Job control, the console's termios and the kernel log (syslog(2)).
const (
	SYS_setpgid = 57
	SYS_getpgrp = 65
	SYS_setsid  = 66
	SYS_syslog  = 103
	SYS_getpgid = 132
	SYS_getsid  = 147

	TCSETS    = 0x5402
	TCSETSW   = 0x5403
	TCSETSF   = 0x5404
	TIOCGSID  = 0x5429
	TIOCNOTTY = 0x5422
)
