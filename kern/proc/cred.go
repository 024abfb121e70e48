package proc

import (
	"fmt"
	"slices"
	"strings"

	"gojos/kern/abi/linux"
)

// Cred is a process's identity: real, effective and saved user and group
// IDs, the file-system IDs (Linux's fsuid/fsgid, which follow the effective
// IDs) and the supplementary groups. Processes inherit it across clone (vfork)
// and keep it across execve (there are no set-user-ID files). Unlike
// Linux, where each thread has its own, a gojos process has one Cred for all
// its threads: what glibc and the Go runtime make of Linux's per-thread IDs
// by setting them on every thread.
//
// Privilege is euid 0 (Linux's capabilities collapsed into one: root holds
// them all, everyone else none). The set* methods have Linux's rules for
// privileged and unprivileged callers and return 0 or an errno.
type Cred struct {
	Ruid, Euid, Suid, Fsuid uint32
	Rgid, Egid, Sgid, Fsgid uint32
	Groups                  []uint32
}

// NoID is -1 as an ID argument: "leave unchanged".
const NoID = ^uint32(0)

// NGroupsMax bounds the supplementary groups (Linux's NGROUPS_MAX).
const NGroupsMax = 65536

// RootCred is init's identity.
func RootCred() Cred { return Cred{} }

// Privileged reports whether c may do what needs root (euid 0).
func (c *Cred) Privileged() bool { return c.Euid == 0 }

// Clone returns a copy that shares nothing with c.
func (c Cred) Clone() Cred {
	c.Groups = append([]uint32(nil), c.Groups...)
	return c
}

// ids is one family (user or group) of a Cred, so that the rules are
// written once for both.
type ids struct{ r, e, s, fs *uint32 }

func (c *Cred) uids() ids { return ids{&c.Ruid, &c.Euid, &c.Suid, &c.Fsuid} }
func (c *Cred) gids() ids { return ids{&c.Rgid, &c.Egid, &c.Sgid, &c.Fsgid} }

// is reports whether v is one of the family's real, effective or saved IDs.
func (f ids) is(v uint32) bool { return v == *f.r || v == *f.e || v == *f.s }

// set is setuid/setgid: privileged, all three IDs become v; otherwise
// only the effective ID may change, to the real or saved ID.
func (f ids) set(v uint32, priv bool) linux.Errno {
	switch {
	case v == NoID:
		return linux.Errno(linux.EINVAL)
	case priv:
		*f.r, *f.e, *f.s = v, v, v
	case v == *f.r || v == *f.s:
		*f.e = v
	default:
		return linux.Errno(linux.EPERM)
	}
	*f.fs = *f.e
	return 0
}

// setre is setreuid/setregid: unprivileged, the real ID may become the
// real or effective ID, the effective ID any of the three. The saved ID
// becomes the new effective ID when the real ID is set or the effective ID
// set to something other than the old real ID.
func (f ids) setre(r, e uint32, priv bool) linux.Errno {
	if !priv {
		if r != NoID && r != *f.r && r != *f.e {
			return linux.Errno(linux.EPERM)
		}
		if e != NoID && !f.is(e) {
			return linux.Errno(linux.EPERM)
		}
	}
	oldR := *f.r
	if r != NoID {
		*f.r = r
	}
	if e != NoID {
		*f.e = e
	}
	if r != NoID || (e != NoID && e != oldR) {
		*f.s = *f.e
	}
	*f.fs = *f.e
	return 0
}

// setres is setresuid/setresgid: unprivileged, each new ID must be one of
// the current real, effective and saved IDs.
func (f ids) setres(r, e, s uint32, priv bool) linux.Errno {
	if !priv {
		for _, v := range []uint32{r, e, s} {
			if v != NoID && !f.is(v) {
				return linux.Errno(linux.EPERM)
			}
		}
	}
	for _, p := range []struct {
		dst *uint32
		v   uint32
	}{{f.r, r}, {f.e, e}, {f.s, s}} {
		if p.v != NoID {
			*p.dst = p.v
		}
	}
	*f.fs = *f.e
	return 0
}

// setfs is setfsuid/setfsgid: it returns the old file-system ID and changes
// it, privileged to anything, otherwise to one of the real, effective, saved
// or file-system IDs; an unallowed value changes nothing.
func (f ids) setfs(v uint32, priv bool) uint32 {
	old := *f.fs
	if v != NoID && (priv || f.is(v) || v == *f.fs) {
		*f.fs = v
	}
	return old
}

// SetUID is setuid(2).
func (c *Cred) SetUID(v uint32) linux.Errno { return c.uids().set(v, c.Privileged()) }

// SetGID is setgid(2) (privileged: euid 0).
func (c *Cred) SetGID(v uint32) linux.Errno { return c.gids().set(v, c.Privileged()) }

// SetREUID is setreuid(2).
func (c *Cred) SetREUID(r, e uint32) linux.Errno { return c.uids().setre(r, e, c.Privileged()) }

// SetREGID is setregid(2).
func (c *Cred) SetREGID(r, e uint32) linux.Errno { return c.gids().setre(r, e, c.Privileged()) }

// SetRESUID is setresuid(2).
func (c *Cred) SetRESUID(r, e, s uint32) linux.Errno {
	return c.uids().setres(r, e, s, c.Privileged())
}

// SetRESGID is setresgid(2).
func (c *Cred) SetRESGID(r, e, s uint32) linux.Errno {
	return c.gids().setres(r, e, s, c.Privileged())
}

// SetFSUID is setfsuid(2): the old fsuid.
func (c *Cred) SetFSUID(v uint32) uint32 { return c.uids().setfs(v, c.Privileged()) }

// SetFSGID is setfsgid(2): the old fsgid.
func (c *Cred) SetFSGID(v uint32) uint32 { return c.gids().setfs(v, c.Privileged()) }

// SetGroups is setgroups(2): privileged only, at most NGroupsMax groups,
// kept sorted as Linux does.
func (c *Cred) SetGroups(g []uint32) linux.Errno {
	if !c.Privileged() {
		return linux.Errno(linux.EPERM)
	}
	if len(g) > NGroupsMax {
		return linux.Errno(linux.EINVAL)
	}
	c.Groups = append([]uint32(nil), g...)
	slices.Sort(c.Groups)
	return 0
}

// MaySignal reports whether a process with c may send a signal to one with
// target: Linux's rule without capabilities — root, or the sender's real or
// effective UID is the target's real or saved UID.
func (c *Cred) MaySignal(target *Cred) bool {
	return c.Privileged() || c.Ruid == target.Ruid || c.Ruid == target.Suid ||
		c.Euid == target.Ruid || c.Euid == target.Suid
}

// MayPrlimit reports whether a process with c may read or set the limits
// of one with target (Linux's prlimit rule without capabilities): root, or
// the target's real, effective and saved UIDs and GIDs are all c's real ones.
func (c *Cred) MayPrlimit(target *Cred) bool {
	return c.Privileged() ||
		c.Ruid == target.Ruid && c.Ruid == target.Euid && c.Ruid == target.Suid &&
			c.Rgid == target.Rgid && c.Rgid == target.Egid && c.Rgid == target.Sgid
}

// StatusLines are the Uid:, Gid: and Groups: lines of /proc/PID/status
// (real, effective, saved, file-system).
func (c *Cred) StatusLines() string {
	var g []string
	for _, x := range c.Groups {
		g = append(g, fmt.Sprint(x))
	}
	return fmt.Sprintf("Uid:\t%d\t%d\t%d\t%d\nGid:\t%d\t%d\t%d\t%d\nGroups:\t%s\n",
		c.Ruid, c.Euid, c.Suid, c.Fsuid, c.Rgid, c.Egid, c.Sgid, c.Fsgid, strings.Join(g, " "))
}
