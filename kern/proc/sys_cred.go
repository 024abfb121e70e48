package proc

import (
	"encoding/binary"

	"gojos/kern/abi/linux"
)

// The user and group ID system calls (cred.go has the rules), in their
// 32-bit forms (what the Go runtime and os/exec use on 386) and the old
// 16-bit ones, whose IDs are truncated as Linux's are: -1 is 0xFFFF, and an
// ID above 65535 reads as the overflow ID 65534.

const overflowID = 65534

func low2high(v uint32) uint32 {
	if v == 0xFFFF {
		return NoID
	}
	return v & 0xFFFF
}

func high2low(v uint32) uint32 {
	if v > 0xFFFF {
		return overflowID
	}
	return v
}

// credSyscall serves nr if it is an ID call.
func (t *Thread) credSyscall(nr uint32, a *args) (int32, bool) {
	narrow := false
	switch nr {
	case linux.SYS_getuid, linux.SYS_geteuid, linux.SYS_getgid, linux.SYS_getegid,
		linux.SYS_setuid, linux.SYS_setgid, linux.SYS_setreuid, linux.SYS_setregid,
		linux.SYS_setresuid, linux.SYS_setresgid, linux.SYS_getresuid, linux.SYS_getresgid,
		linux.SYS_setfsuid, linux.SYS_setfsgid, linux.SYS_getgroups, linux.SYS_setgroups:
		narrow = true
	}
	id := func(v uint32) uint32 { // an ID argument
		if narrow {
			return low2high(v & 0xFFFF)
		}
		return v
	}
	out := func(v uint32) uint32 { // an ID result
		if narrow {
			return high2low(v)
		}
		return v
	}
	wide := 4
	if narrow {
		wide = 2
	}
	p := t.P
	p.mu.Lock()
	defer p.mu.Unlock()
	c := &p.cred
	switch nr {
	case linux.SYS_getuid, linux.SYS_getuid32:
		return int32(out(c.Ruid)), true
	case linux.SYS_geteuid, linux.SYS_geteuid32:
		return int32(out(c.Euid)), true
	case linux.SYS_getgid, linux.SYS_getgid32:
		return int32(out(c.Rgid)), true
	case linux.SYS_getegid, linux.SYS_getegid32:
		return int32(out(c.Egid)), true
	case linux.SYS_setuid, linux.SYS_setuid32:
		return -int32(c.SetUID(id(a[0]))), true
	case linux.SYS_setgid, linux.SYS_setgid32:
		return -int32(c.SetGID(id(a[0]))), true
	case linux.SYS_setreuid, linux.SYS_setreuid32:
		return -int32(c.SetREUID(id(a[0]), id(a[1]))), true
	case linux.SYS_setregid, linux.SYS_setregid32:
		return -int32(c.SetREGID(id(a[0]), id(a[1]))), true
	case linux.SYS_setresuid, linux.SYS_setresuid32:
		return -int32(c.SetRESUID(id(a[0]), id(a[1]), id(a[2]))), true
	case linux.SYS_setresgid, linux.SYS_setresgid32:
		return -int32(c.SetRESGID(id(a[0]), id(a[1]), id(a[2]))), true
	case linux.SYS_setfsuid, linux.SYS_setfsuid32:
		return int32(out(c.SetFSUID(id(a[0])))), true
	case linux.SYS_setfsgid, linux.SYS_setfsgid32:
		return int32(out(c.SetFSGID(id(a[0])))), true
	case linux.SYS_getresuid, linux.SYS_getresuid32:
		return t.putIDs(a[:3], wide, out, c.Ruid, c.Euid, c.Suid), true
	case linux.SYS_getresgid, linux.SYS_getresgid32:
		return t.putIDs(a[:3], wide, out, c.Rgid, c.Egid, c.Sgid), true
	case linux.SYS_getgroups, linux.SYS_getgroups32:
		return t.getGroups(c, int32(a[0]), a[1], wide, out), true
	case linux.SYS_setgroups, linux.SYS_setgroups32:
		return t.setGroups(c, int32(a[0]), a[1], wide, id), true
	}
	return 0, false
}

// putIDs writes each ID (wide bytes, converted by out) at its address.
func (t *Thread) putIDs(addrs []uint32, wide int, out func(uint32) uint32, ids ...uint32) int32 {
	for i, v := range ids {
		b := make([]byte, 4)
		binary.LittleEndian.PutUint32(b, out(v))
		if err := t.P.as.CopyOut(addrs[i], b[:wide]); err != nil {
			return errno(err)
		}
	}
	return 0
}

// getGroups is getgroups(size, list): the count for size 0, EINVAL if the
// list is too small.
func (t *Thread) getGroups(c *Cred, size int32, list uint32, wide int, out func(uint32) uint32) int32 {
	n := int32(len(c.Groups))
	switch {
	case size < 0:
		return -linux.EINVAL
	case size == 0:
		return n
	case size < n:
		return -linux.EINVAL
	}
	b := make([]byte, 4*len(c.Groups))
	for i, g := range c.Groups {
		binary.LittleEndian.PutUint32(b[i*4:], out(g))
	}
	if wide == 2 {
		for i := range c.Groups {
			copy(b[i*2:], b[i*4:i*4+2])
		}
		b = b[:2*len(c.Groups)]
	}
	return errnoOr(t.P.as.CopyOut(list, b), n)
}

// setGroups is setgroups(size, list): root only, checked before the list
// is read, as Linux does.
func (t *Thread) setGroups(c *Cred, size int32, list uint32, wide int, id func(uint32) uint32) int32 {
	if !c.Privileged() {
		return -linux.EPERM
	}
	if size < 0 || size > NGroupsMax {
		return -linux.EINVAL
	}
	b := make([]byte, int(size)*wide)
	if err := t.P.as.CopyIn(list, b); err != nil {
		return errno(err)
	}
	g := make([]uint32, size)
	for i := range g {
		if wide == 2 {
			g[i] = id(uint32(binary.LittleEndian.Uint16(b[i*2:])))
		} else {
			g[i] = id(binary.LittleEndian.Uint32(b[i*4:]))
		}
		if g[i] == NoID {
			return -linux.EINVAL // -1 is not a group
		}
	}
	return -int32(c.SetGroups(g))
}

// sysCred answers the credential calls (16- and 32-bit forms) through
// credSyscall.
func (t *Thread) sysCred(a *args) int32 {
	r, _ := t.credSyscall(t.sysnr(), a)
	return r
}
