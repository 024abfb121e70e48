package proc

import (
	"testing"

	"gojos/kern/abi/linux"
)

func user(r, e, s uint32) Cred {
	return Cred{Ruid: r, Euid: e, Suid: s, Fsuid: e, Rgid: r, Egid: e, Sgid: s, Fsgid: e}
}

func uidsOf(c Cred) [4]uint32 { return [4]uint32{c.Ruid, c.Euid, c.Suid, c.Fsuid} }

// The cases follow setuid(2), setreuid(2) and setresuid(2) of Linux.
func TestSetUID(t *testing.T) {
	for _, c := range []struct {
		name    string
		c       Cred
		op      func(*Cred) linux.Errno
		errno   linux.Errno
		r, e, s uint32
	}{
		{"root setuid drops all", user(0, 0, 0), func(c *Cred) linux.Errno { return c.SetUID(1000) }, 0, 1000, 1000, 1000},
		{"user setuid other", user(1000, 1000, 1000), func(c *Cred) linux.Errno { return c.SetUID(0) }, linux.Errno(linux.EPERM), 1000, 1000, 1000},
		{"user setuid self", user(1000, 1000, 1000), func(c *Cred) linux.Errno { return c.SetUID(1000) }, 0, 1000, 1000, 1000},
		{"setuid to saved", user(1000, 1000, 0), func(c *Cred) linux.Errno { return c.SetUID(0) }, 0, 1000, 0, 0},
		{"setuid -1", user(0, 0, 0), func(c *Cred) linux.Errno { return c.SetUID(NoID) }, linux.Errno(linux.EINVAL), 0, 0, 0},
		{"seteuid keeps saved", user(0, 0, 0), func(c *Cred) linux.Errno { return c.SetREUID(NoID, 1000) }, 0, 0, 1000, 1000},
		{"then back to root", user(0, 1000, 0), func(c *Cred) linux.Errno { return c.SetREUID(NoID, 0) }, 0, 0, 0, 0},
		{"setreuid swap", user(1000, 2000, 2000), func(c *Cred) linux.Errno { return c.SetREUID(2000, 1000) }, 0, 2000, 1000, 1000},
		{"setreuid real to saved refused", user(1000, 1000, 3000), func(c *Cred) linux.Errno { return c.SetREUID(3000, NoID) }, linux.Errno(linux.EPERM), 1000, 1000, 3000},
		{"setreuid euid to saved", user(1000, 1000, 3000), func(c *Cred) linux.Errno { return c.SetREUID(NoID, 3000) }, 0, 1000, 3000, 3000},
		{"setreuid euid to real keeps saved", user(1000, 3000, 3000), func(c *Cred) linux.Errno { return c.SetREUID(NoID, 1000) }, 0, 1000, 1000, 3000},
		{"setresuid root", user(0, 0, 0), func(c *Cred) linux.Errno { return c.SetRESUID(1, 2, 3) }, 0, 1, 2, 3},
		{"setresuid user permutes", user(1, 2, 3), func(c *Cred) linux.Errno { return c.SetRESUID(3, 1, 2) }, 0, 3, 1, 2},
		{"setresuid user to other", user(1, 2, 3), func(c *Cred) linux.Errno { return c.SetRESUID(NoID, 0, NoID) }, linux.Errno(linux.EPERM), 1, 2, 3},
		{"setresuid -1 all", user(1, 2, 3), func(c *Cred) linux.Errno { return c.SetRESUID(NoID, NoID, NoID) }, 0, 1, 2, 3},
	} {
		cr := c.c
		if got := c.op(&cr); got != c.errno {
			t.Errorf("%s: errno %v, want %v", c.name, got, c.errno)
		}
		if got, want := uidsOf(cr), [4]uint32{c.r, c.e, c.s, c.e}; got != want {
			t.Errorf("%s: r/e/s/fs = %v, want %v", c.name, got, want)
		}
	}
}

func TestSetGIDNeedsRootEuid(t *testing.T) {
	c := user(1000, 1000, 1000)
	if c.SetGID(0) != linux.Errno(linux.EPERM) || c.Egid != 1000 {
		t.Error("user set gid 0")
	}
	c = RootCred()
	if c.SetGID(100) != 0 || c.Rgid != 100 || c.Egid != 100 || c.Sgid != 100 || c.Fsgid != 100 {
		t.Errorf("root setgid: %+v", c)
	}
	if c.SetRESGID(1, 2, 3) != 0 || c.Rgid != 1 || c.Egid != 2 || c.Sgid != 3 {
		t.Errorf("root setresgid: %+v", c)
	}
	if c.SetREGID(NoID, 7) != 0 || c.Egid != 7 || c.Sgid != 7 {
		t.Errorf("root setregid: %+v", c)
	}
}

func TestGroupsAndFS(t *testing.T) {
	c := RootCred()
	if c.SetGroups([]uint32{100, 10, 1000}) != 0 || len(c.Groups) != 3 || c.Groups[0] != 10 {
		t.Errorf("groups %v", c.Groups)
	}
	if c.SetGroups(make([]uint32, NGroupsMax+1)) != linux.Errno(linux.EINVAL) {
		t.Error("too many groups accepted")
	}
	d := c.Clone()
	d.Groups[0] = 1
	if c.Groups[0] != 10 {
		t.Error("Clone shares groups")
	}
	u := user(1000, 1000, 1000)
	if u.SetGroups(nil) != linux.Errno(linux.EPERM) {
		t.Error("user setgroups")
	}
	if old := u.SetFSUID(0); old != 1000 || u.Fsuid != 1000 {
		t.Errorf("user setfsuid(0): old %d now %d", old, u.Fsuid)
	}
	if old := c.SetFSUID(5); old != 0 || c.Fsuid != 5 {
		t.Errorf("root setfsuid(5): old %d now %d", old, c.Fsuid)
	}
}

func TestMaySignal(t *testing.T) {
	root, a, b := RootCred(), user(1000, 1000, 1000), user(1001, 1001, 1001)
	if !root.MaySignal(&a) || !a.MaySignal(&a) || a.MaySignal(&b) || a.MaySignal(&root) {
		t.Error("kill permissions")
	}
	half := user(1000, 0, 0) // a set-uid-root style process of user 1000
	if !a.MaySignal(&half) {
		t.Error("the real uid's owner may signal it")
	}
}

func TestStatusLines(t *testing.T) {
	c := user(1000, 1000, 1000)
	c.Groups = []uint32{100, 1000}
	want := "Uid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\nGroups:\t100 1000\n"
	if got := c.StatusLines(); got != want {
		t.Errorf("got %q", got)
	}
}
