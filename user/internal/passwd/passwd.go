// Package passwd reads the user and group databases, /etc/passwd and
// /etc/group, in their Linux formats:
//
//	name:password:uid:gid:gecos:home:shell      (passwd)
//	name:password:gid:member,member,...         (group)
//
// Blank lines and lines starting with '#' are skipped; any other line
// without the right number of fields, or with a bad number, is an error
// naming the file and line. The password fields are ignored (gojos has no
// logins: only root switches users, with su).
package passwd

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
)

// The databases' paths; variables for tests.
var (
	PasswdFile = "/etc/passwd"
	GroupFile  = "/etc/group"
)

// User is one passwd entry.
type User struct {
	Name     string
	UID, GID uint32
	Gecos    string
	Home     string
	Shell    string
}

// Group is one group entry.
type Group struct {
	Name    string
	GID     uint32
	Members []string
}

// lines calls f with the fields of each entry line of r.
func lines(r io.Reader, file string, nfields int, f func(line int, fields []string) error) error {
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimRight(sc.Text(), "\r")
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		fs := strings.Split(l, ":")
		if len(fs) != nfields {
			return fmt.Errorf("%s:%d: want %d fields separated by ':', got %d", file, n, nfields, len(fs))
		}
		if fs[0] == "" {
			return fmt.Errorf("%s:%d: empty name", file, n)
		}
		if err := f(n, fs); err != nil {
			return fmt.Errorf("%s:%d: %v", file, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %v", file, err)
	}
	return nil
}

// ParseID parses a user or group ID: a decimal number below 2^32-1 (-1 is
// not an ID).
func ParseID(s string) (uint32, error) {
	v, err := strconv.ParseUint(s, 10, 32)
	if err != nil || v == 1<<32-1 {
		return 0, fmt.Errorf("bad ID %q", s)
	}
	return uint32(v), nil
}

// ParseUsers reads a passwd file (file names it in errors).
func ParseUsers(r io.Reader, file string) ([]User, error) {
	var us []User
	err := lines(r, file, 7, func(_ int, f []string) error {
		uid, err := ParseID(f[2])
		if err != nil {
			return err
		}
		gid, err := ParseID(f[3])
		if err != nil {
			return err
		}
		us = append(us, User{Name: f[0], UID: uid, GID: gid, Gecos: f[4], Home: f[5], Shell: f[6]})
		return nil
	})
	return us, err
}

// ParseGroups reads a group file.
func ParseGroups(r io.Reader, file string) ([]Group, error) {
	var gs []Group
	err := lines(r, file, 4, func(_ int, f []string) error {
		gid, err := ParseID(f[2])
		if err != nil {
			return err
		}
		g := Group{Name: f[0], GID: gid}
		for _, m := range strings.Split(f[3], ",") {
			if m = strings.TrimSpace(m); m != "" {
				g.Members = append(g.Members, m)
			}
		}
		gs = append(gs, g)
		return nil
	})
	return gs, err
}

// Users reads PasswdFile.
func Users() ([]User, error) {
	f, err := os.Open(PasswdFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseUsers(f, PasswdFile)
}

// Groups reads GroupFile.
func Groups() ([]Group, error) {
	f, err := os.Open(GroupFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseGroups(f, GroupFile)
}

// LookupUser finds a user by name, or by a numeric UID.
func LookupUser(name string) (User, error) {
	us, err := Users()
	if err != nil {
		return User{}, err
	}
	for _, u := range us {
		if u.Name == name {
			return u, nil
		}
	}
	if uid, err := ParseID(name); err == nil {
		for _, u := range us {
			if u.UID == uid {
				return u, nil
			}
		}
	}
	return User{}, fmt.Errorf("no user %q in %s", name, PasswdFile)
}

// UserName is the name of uid, or the number if none has it.
func UserName(uid uint32) string {
	us, _ := Users()
	for _, u := range us {
		if u.UID == uid {
			return u.Name
		}
	}
	return strconv.FormatUint(uint64(uid), 10)
}

// GroupName is the name of gid, or the number if none has it.
func GroupName(gid uint32) string {
	gs, _ := Groups()
	for _, g := range gs {
		if g.GID == gid {
			return g.Name
		}
	}
	return strconv.FormatUint(uint64(gid), 10)
}

// GroupIDs are u's groups, sorted: its primary group and every group that
// lists it as a member.
func GroupIDs(u User) ([]uint32, error) {
	gs, err := Groups()
	if err != nil {
		return nil, err
	}
	ids := []uint32{u.GID}
	for _, g := range gs {
		for _, m := range g.Members {
			if m == u.Name && g.GID != u.GID {
				ids = append(ids, g.GID)
			}
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids, nil
}
