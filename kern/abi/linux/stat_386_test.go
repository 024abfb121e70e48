package linux

import (
	"syscall"
	"testing"
	"unsafe"
)

// On 386 the standard library's Stat_t is the kernel's struct stat64: the
// offsets here must be its own.
func TestStat64Layout(t *testing.T) {
	var st syscall.Stat_t
	for name, c := range map[string][2]uintptr{
		"dev": {Stat64Dev, unsafe.Offsetof(st.Dev)}, "ino32": {Stat64Ino32, unsafe.Offsetof(st.X__st_ino)},
		"mode": {Stat64Mode, unsafe.Offsetof(st.Mode)}, "nlink": {Stat64Nlink, unsafe.Offsetof(st.Nlink)},
		"uid": {Stat64UID, unsafe.Offsetof(st.Uid)}, "gid": {Stat64GID, unsafe.Offsetof(st.Gid)},
		"rdev": {Stat64Rdev, unsafe.Offsetof(st.Rdev)}, "size": {Stat64Size, unsafe.Offsetof(st.Size)},
		"blksize": {Stat64Blksize, unsafe.Offsetof(st.Blksize)}, "blocks": {Stat64Blocks, unsafe.Offsetof(st.Blocks)},
		"atime": {Stat64Atime, unsafe.Offsetof(st.Atim)}, "mtime": {Stat64Mtime, unsafe.Offsetof(st.Mtim)},
		"ctime": {Stat64Ctime, unsafe.Offsetof(st.Ctim)}, "ino": {Stat64Ino, unsafe.Offsetof(st.Ino)},
		"size of": {Stat64Len, unsafe.Sizeof(st)},
	} {
		if c[0] != c[1] {
			t.Errorf("stat64 %s at %d, the C layout has %d", name, c[0], c[1])
		}
	}
}
