package procinfo

import "fmt"

// The uname(2) strings both tiers answer with (kern/shim for the kernel's
// runtime, kern/proc for user processes).
const (
	Sysname    = "gojos"  // also the node name
	Release    = "0.1"    // the kernel's version ("uname -r")
	Machine    = "i686"   // "uname -m"
	Domainname = "(none)" // no NIS domain
)

// Utsname holds uname(2)'s six strings.
type Utsname struct {
	Sysname, Nodename, Release, Version, Machine, Domainname string
}

// Uname returns the kernel's uname(2) strings; goVersion is the Go release
// the kernel was built with (runtime.Version()).
func Uname(goVersion string) Utsname {
	return Utsname{
		Sysname:    Sysname,
		Nodename:   Sysname,
		Release:    Release,
		Version:    "#1 " + goVersion,
		Machine:    Machine,
		Domainname: Domainname,
	}
}

// Bytes returns struct new_utsname: six fields of 65 bytes, each
// NUL-terminated (a longer string is cut).
func (u Utsname) Bytes() []byte {
	b := make([]byte, 6*65)
	for i, s := range []string{u.Sysname, u.Nodename, u.Release, u.Version, u.Machine, u.Domainname} {
		copy(b[i*65:i*65+64], s)
	}
	return b
}

// ParseUtsname is Bytes's inverse (for tools reading uname(2)).
func ParseUtsname(b []byte) (Utsname, error) {
	if len(b) < 6*65 {
		return Utsname{}, fmt.Errorf("utsname: %d bytes, want %d", len(b), 6*65)
	}
	f := make([]string, 6)
	for i := range f {
		field := b[i*65 : (i+1)*65]
		n := 0
		for n < len(field) && field[n] != 0 {
			n++
		}
		f[i] = string(field[:n])
	}
	return Utsname{f[0], f[1], f[2], f[3], f[4], f[5]}, nil
}

// Version returns /proc/version: "gojos version 0.1 (i686, go1.26.8) #1 go1.26.8".
func Version(u Utsname, goVersion string) []byte {
	return []byte(fmt.Sprintf("%s version %s (%s, %s) %s\n", u.Sysname, u.Release, u.Machine, goVersion, u.Version))
}
