// Package id is the id command:
//
//	id [user]
//
// prints the user and group IDs, with names from /etc/passwd and /etc/group,
// as Linux's id does:
//
//	uid=1000(student) gid=1000(student) groups=100(users),1000(student)
//
// Without an argument, those of the process itself (getuid, getgid and their
// effective forms — shown as euid=/egid= when they differ — and getgroups);
// with one, those of the named user (or numeric UID) in the databases.
package id

import (
	"fmt"
	"io"
	"strings"
	"syscall"

	"gojos/user/internal/cmdutil"
	"gojos/user/internal/passwd"
)

// Self are the calling process's IDs: real and effective user and group,
// and the supplementary groups.
type Self struct {
	UID, EUID, GID, EGID uint32
	Groups               []uint32
}

// self reads the process's IDs; a variable for tests.
var self = func() (Self, error) {
	gs, err := syscall.Getgroups()
	if err != nil {
		return Self{}, fmt.Errorf("getgroups: %v", err)
	}
	s := Self{UID: uint32(syscall.Getuid()), EUID: uint32(syscall.Geteuid()),
		GID: uint32(syscall.Getgid()), EGID: uint32(syscall.Getegid())}
	for _, g := range gs {
		s.Groups = append(s.Groups, uint32(g))
	}
	return s, nil
}

// Run is the id command.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := cmdutil.FlagSet("id", "[user]", stderr)
	if err := cmdutil.Parse(flags, args); err != nil {
		return err
	}
	var s Self
	switch flags.NArg() {
	case 0:
		var err error
		if s, err = self(); err != nil {
			return err
		}
	case 1:
		u, err := passwd.LookupUser(flags.Arg(0))
		if err != nil {
			return err
		}
		gs, err := passwd.GroupIDs(u)
		if err != nil {
			return err
		}
		s = Self{UID: u.UID, EUID: u.UID, GID: u.GID, EGID: u.GID, Groups: gs}
	default:
		flags.Usage()
		return cmdutil.Usage
	}
	_, err := io.WriteString(stdout, Format(s))
	return err
}

// Format renders s as id prints it, with a newline.
func Format(s Self) string {
	var b strings.Builder
	fmt.Fprintf(&b, "uid=%d(%s) gid=%d(%s)", s.UID, passwd.UserName(s.UID), s.GID, passwd.GroupName(s.GID))
	if s.EUID != s.UID {
		fmt.Fprintf(&b, " euid=%d(%s)", s.EUID, passwd.UserName(s.EUID))
	}
	if s.EGID != s.GID {
		fmt.Fprintf(&b, " egid=%d(%s)", s.EGID, passwd.GroupName(s.EGID))
	}
	var gs []string
	for _, g := range s.Groups {
		gs = append(gs, fmt.Sprintf("%d(%s)", g, passwd.GroupName(g)))
	}
	if len(gs) > 0 {
		b.WriteString(" groups=" + strings.Join(gs, ","))
	}
	b.WriteString("\n")
	return b.String()
}
